namespace AgentFirm.Causal;

public enum PcmciMethod { Pcmci, PcmciPlus }

/// <summary>
/// Settings of one PCMCI run; defaults follow tigramite 5.2 (run_pcmci) except tau_min = 1 (lagged links only).
/// </summary>
public sealed record PcmciOptions
{
    /// <summary>The pc_alpha values tried by pc_alpha auto (tigramite's default list for pc_alpha=None).</summary>
    public static IReadOnlyList<double> AutoPcAlphas { get; } = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5];

    public int TauMin { get; init; } = 1;
    public int TauMax { get; init; } = 1;

    /// <summary>Significance level of the condition-selection (PC1) stage; null = auto (chosen per variable by the Akaike-type score).</summary>
    public double? PcAlpha { get; init; } = 0.2;

    /// <summary>Significance level at which links are reported (after FDR correction when asked).</summary>
    public double Alpha { get; init; } = 0.05;

    public PcmciMethod Method { get; init; } = PcmciMethod.Pcmci;
    public ICondIndTest Test { get; init; } = new ParCorr();
    public FdrCorrection Fdr { get; init; } = FdrCorrection.None;

    /// <summary>Combinations of conditions tried per condition-set size in PC1 (tigramite default 1).</summary>
    public int MaxCombinations { get; init; } = 1;

    /// <summary>Largest condition set in PC1; null = unrestricted.</summary>
    public int? MaxCondsDim { get; init; }

    /// <summary>How many of Y's parents (strongest first) condition an MCI test; null = all.</summary>
    public int? MaxCondsPy { get; init; }

    /// <summary>How many of X's parents (strongest first, shifted by tau) condition an MCI test; null = all.</summary>
    public int? MaxCondsPx { get; init; }

    /// <summary>Run target variables in parallel; results are identical either way.</summary>
    public bool Parallel { get; init; } = true;

    internal void Validate(PcmciData data)
    {
        if (TauMax < 0) throw new ArgumentException($"tau_max must be >= 0, got {TauMax}.");
        if (TauMin < 0 || TauMin > TauMax) throw new ArgumentException($"tau_min must lie in [0, tau_max = {TauMax}], got {TauMin}.");
        if (PcAlpha is { } a && !(a is > 0 and <= 1)) throw new ArgumentException($"pc_alpha must lie in (0, 1], got {a}.");
        if (!(Alpha is > 0 and <= 1)) throw new ArgumentException($"alpha must lie in (0, 1], got {Alpha}.");
        if (MaxCombinations < 1) throw new ArgumentException($"max_combinations must be >= 1, got {MaxCombinations}.");
        if (MaxCondsDim is < 0 || MaxCondsPy is < 0 || MaxCondsPx is < 0) throw new ArgumentException("max_conds_* must be >= 0.");
        if (data.T - 2 * TauMax < 3) throw new ArgumentException($"{data.T} steps are too few for tau_max = {TauMax}: tests use steps 2 tau_max .. T-1.");
    }
}

/// <summary>A link at the reporting level: From at t - Lag to To at t ('-->'), or contemporaneous ('o-o', 'x-x' unoriented / conflicting).</summary>
public sealed record PcmciLink(int From, int To, int Lag, double Value, double PValue, string Type);

/// <summary>
/// The outcome of one run in tigramite's layout: PMatrix[i][j][tau] and ValMatrix[i][j][tau] are for the link from
/// variable i at lag tau to variable j; Graph[i][j][tau] is "", "-->", "<--", "o-o" or "x-x".
/// </summary>
public sealed class PcmciResult
{
    internal PcmciResult(PcmciData data, PcmciOptions options, double[][][] p, double[][][] val, string[][][] graph,
        IReadOnlyList<IReadOnlyList<LaggedVar>> parents, IReadOnlyList<double> pcAlphas, int pcTests, int mciTests)
    {
        Variables = data.Names;
        TauMin = options.TauMin;
        TauMax = options.TauMax;
        Alpha = options.Alpha;
        PMatrix = p;
        ValMatrix = val;
        Graph = graph;
        Parents = parents;
        PcAlphas = pcAlphas;
        PcTests = pcTests;
        MciTests = mciTests;
        Links = ListLinks(p, val, graph);
    }

    public IReadOnlyList<string> Variables { get; }
    public int TauMin { get; }
    public int TauMax { get; }
    public double Alpha { get; }
    public double[][][] PMatrix { get; }
    public double[][][] ValMatrix { get; }
    public string[][][] Graph { get; }

    /// <summary>Lagged parents from the condition-selection stage, strongest first (the MCI conditions).</summary>
    public IReadOnlyList<IReadOnlyList<LaggedVar>> Parents { get; }

    /// <summary>The pc_alpha used for each variable (the chosen one under auto).</summary>
    public IReadOnlyList<double> PcAlphas { get; }

    /// <summary>Conditional-independence tests run in the condition-selection stage(s) (all pc_alpha values under auto).</summary>
    public int PcTests { get; }

    /// <summary>Tests run in the MCI stage (the skeleton and orientation stages for PCMCI+).</summary>
    public int MciTests { get; }

    public IReadOnlyList<PcmciLink> Links { get; }

    /// <summary>Causal parents of variable j in the final graph: lagged '-->' links and oriented contemporaneous ones.</summary>
    public IEnumerable<PcmciLink> ParentsOf(int j) => Links.Where(l => l.To == j && l.Type == "-->");

    private static List<PcmciLink> ListLinks(double[][][] p, double[][][] val, string[][][] graph)
    {
        var links = new List<PcmciLink>();
        var n = graph.Length;
        for (var j = 0; j < n; j++)
            for (var tau = 0; tau < graph[0][0].Length; tau++)
                for (var i = 0; i < n; i++)
                {
                    var type = graph[i][j][tau];
                    if (type.Length == 0 || type == "<--") continue;
                    if (tau == 0 && type != "-->" && i > j) continue; // undirected contemporaneous links once
                    links.Add(new PcmciLink(i, j, tau, val[i][j][tau], p[i][j][tau], type));
                }
        return links;
    }
}
