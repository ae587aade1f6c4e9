namespace AgentFirm.Causal;

/// <summary>
/// PCMCI (Runge, Nowack, Kretschmer, Flaxman &amp; Sejdinovic 2019, Science Advances 5, eaau4996) and PCMCI+
/// (Runge 2020, UAI), following tigramite 5.2's conventions so results compare number for number:
/// every test uses the samples t = 2 tau_max .. T-1; the PC1 stage tests each candidate parent against the
/// strongest other candidates (max_combinations per size, sorted by the minimum absolute statistic so far) and
/// drops it when p &gt; pc_alpha; the MCI stage tests X_{t-tau} -&gt; Y_t given Y's parents and X's parents shifted
/// by tau.
/// </summary>
public static class Pcmci
{
    public static PcmciResult Run(PcmciData data, PcmciOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(data);
        var session = options.Test.Open(data, options.TauMax);
        if (options.PcAlpha is null && session.ModelSelectionScore(0, []) is null)
            throw new ArgumentException($"pc_alpha auto needs a test with a model-selection score; {options.Test.Name} has none.");
        return options.Method == PcmciMethod.PcmciPlus
            ? PcmciPlus.Run(data, options, session)
            : RunPcmci(data, options, session);
    }

    private static PcmciResult RunPcmci(PcmciData data, PcmciOptions options, ICondIndSession session)
    {
        var (parents, pcAlphas, pcTests, _, _) = SelectParentsWithStatistics(data, options, session);
        var n = data.N;
        var tauMax = options.TauMax;
        var p = Matrix(n, tauMax, 1.0);
        var val = Matrix(n, tauMax, 0.0);
        var mciTests = new int[n];
        ForEachVariable(n, options.Parallel, j =>
        {
            var condsY = Take(parents[j], options.MaxCondsPy);
            var z = new List<LaggedVar>();
            foreach (var x in Candidates(n, j, options.TauMin, tauMax))
            {
                MciConditions(condsY, Take(parents[x.Var], options.MaxCondsPx), x, z);
                var r = session.Test(x, new LaggedVar(j, 0), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(z));
                p[x.Var][j][x.Lag] = r.PValue;
                val[x.Var][j][x.Lag] = r.Value;
                mciTests[j]++;
            }
        });
        if (options.Fdr == FdrCorrection.BenjaminiHochberg) FalseDiscovery.CorrectLagged(p, options.TauMin, tauMax);
        var graph = GraphFromP(p, options.Alpha, options.TauMin);
        if (options.TauMin == 0) SymmetrizeContemporaneous(p, val);
        return new PcmciResult(data, options, p, val, graph, parents, pcAlphas, pcTests, mciTests.Sum());
    }

    /// <summary>
    /// The PC1 stage for every variable, with pc_alpha fixed or chosen per variable by the test's model-selection
    /// score (tigramite run_pc_stable: argmin over the list, the first on ties).
    /// </summary>
    internal static (IReadOnlyList<LaggedVar>[] Parents, double[] PcAlphas, int Tests, double[][][] PMax, double[][][] ValAtPMax) SelectParentsWithStatistics(PcmciData data, PcmciOptions options, ICondIndSession session)
    {
        var n = data.N;
        // tigramite keeps, per candidate link, the largest p-value over the PC1 tests and the statistic of that test
        var pMax = Matrix(n, options.TauMax, 1.0);
        var valAtPMax = Matrix(n, options.TauMax, 0.0);
        var parents = new IReadOnlyList<LaggedVar>[n];
        var chosen = new double[n];
        var tests = new int[n];
        var alphas = options.PcAlpha is { } fixedAlpha ? [fixedAlpha] : PcmciOptions.AutoPcAlphas;
        ForEachVariable(n, options.Parallel, j =>
        {
            var best = double.PositiveInfinity;
            foreach (var alpha in alphas)
            {
                var (found, count, stats) = PcStageSingle(j, n, options, alpha, session);
                tests[j] += count;
                if (alphas.Count == 1)
                {
                    parents[j] = found;
                    chosen[j] = alpha;
                    Record(stats);
                    break;
                }
                var score = session.ModelSelectionScore(j, found.ToArray())
                    ?? throw new ArgumentException($"pc_alpha auto needs a test with a model-selection score; {options.Test.Name} has none.");
                if (score < best)
                {
                    best = score;
                    parents[j] = found;
                    chosen[j] = alpha;
                    Record(stats);
                }
            }

            void Record(Dictionary<LaggedVar, (double P, double Value)> stats)
            {
                foreach (var (q, (pv, v)) in stats)
                {
                    pMax[q.Var][j][q.Lag] = pv;
                    valAtPMax[q.Var][j][q.Lag] = v;
                }
            }
        });
        return (parents, chosen, tests.Sum(), pMax, valAtPMax);
    }

    /// <summary>tigramite _run_pc_stable_single: lagged parents of variable j at one pc_alpha.</summary>
    private static (List<LaggedVar> Parents, int Tests, Dictionary<LaggedVar, (double P, double Value)> Stats) PcStageSingle(int j, int n, PcmciOptions options, double pcAlpha, ICondIndSession session)
    {
        var tauMin = Math.Max(1, options.TauMin);
        var parents = Candidates(n, j, tauMin, options.TauMax).ToList();
        // order of first insertion breaks ties in the strength sort, as Python's stable sort on a dict does
        var rank = new Dictionary<LaggedVar, int>();
        for (var k = 0; k < parents.Count; k++) rank[parents[k]] = k;
        var valMin = new Dictionary<LaggedVar, double>();
        var stats = new Dictionary<LaggedVar, (double P, double Value)>();
        var maxCondsDim = options.MaxCondsDim ?? n * (options.TauMax - tauMin + 1);
        var y = new LaggedVar(j, 0);
        var tests = 0;
        var others = new List<LaggedVar>();
        var z = new LaggedVar[Math.Max(0, parents.Count)];
        for (var condsDim = 0; condsDim <= maxCondsDim; condsDim++)
        {
            if (parents.Count - 1 < condsDim) break;
            var nonsig = new List<LaggedVar>();
            foreach (var parent in parents)
            {
                others.Clear();
                foreach (var q in parents) if (q != parent) others.Add(q);
                var combination = 0;
                foreach (var cond in Combinations(others, condsDim, z))
                {
                    if (combination++ >= options.MaxCombinations) break;
                    var r = session.Test(parent, y, cond);
                    tests++;
                    var abs = Math.Abs(r.Value);
                    valMin[parent] = valMin.TryGetValue(parent, out var old) ? Math.Min(old, abs) : abs;
                    if (!stats.TryGetValue(parent, out var s) || r.PValue > s.P) stats[parent] = (r.PValue, r.Value);
                    if (!(r.PValue <= pcAlpha))
                    {
                        nonsig.Add(parent);
                        break;
                    }
                }
            }
            foreach (var q in nonsig) valMin.Remove(q);
            parents = valMin.Keys.OrderByDescending(k => valMin[k]).ThenBy(k => rank[k]).ToList();
        }
        return (parents, tests, stats);
    }

    /// <summary>
    /// Condition sets of the given size in itertools.combinations order (lexicographic in positions), written into
    /// buffer when it has that size (the caller must not keep a set), else each into a fresh array.
    /// </summary>
    internal static IEnumerable<LaggedVar[]> Combinations(List<LaggedVar> items, int size, LaggedVar[]? buffer)
    {
        if (size > items.Count) yield break;
        var index = new int[size];
        for (var k = 0; k < size; k++) index[k] = k;
        while (true)
        {
            var set = buffer?.Length == size ? buffer : new LaggedVar[size];
            for (var k = 0; k < size; k++) set[k] = items[index[k]];
            yield return set;
            var pos = size - 1;
            while (pos >= 0 && index[pos] == items.Count - size + pos) pos--;
            if (pos < 0) yield break;
            index[pos]++;
            for (var k = pos + 1; k < size; k++) index[k] = index[k - 1] + 1;
        }
    }

    /// <summary>MCI conditions (tigramite _iter_indep_conds): Y's parents except X itself, then X's parents shifted by tau, no repeats.</summary>
    internal static void MciConditions(IReadOnlyList<LaggedVar> condsY, IReadOnlyList<LaggedVar> condsX, LaggedVar x, List<LaggedVar> z)
    {
        z.Clear();
        foreach (var c in condsY) if (c != x) z.Add(c);
        foreach (var c in condsX)
        {
            var shifted = new LaggedVar(c.Var, c.Lag + x.Lag);
            if (!z.Contains(shifted)) z.Add(shifted);
        }
    }

    /// <summary>Candidate links into j: variable outer, lag inner (tigramite's link_assumptions order), no lag-0 self-link.</summary>
    internal static IEnumerable<LaggedVar> Candidates(int n, int j, int tauMin, int tauMax)
    {
        for (var i = 0; i < n; i++)
            for (var lag = tauMin; lag <= tauMax; lag++)
                if (!(i == j && lag == 0)) yield return new LaggedVar(i, lag);
    }

    internal static IReadOnlyList<LaggedVar> Take(IReadOnlyList<LaggedVar> list, int? max) =>
        max is { } m && m < list.Count ? list.Take(m).ToArray() : list;

    /// <summary>tigramite: lagged p &lt;= alpha gives '-->'; contemporaneous 'o-o' when both directions are significant, else '-->' / '&lt;--'.</summary>
    internal static string[][][] GraphFromP(double[][][] p, double alpha, int tauMin)
    {
        var n = p.Length;
        var lags = p[0][0].Length;
        var graph = new string[n][][];
        for (var i = 0; i < n; i++)
        {
            graph[i] = new string[n][];
            for (var j = 0; j < n; j++) graph[i][j] = Enumerable.Repeat("", lags).ToArray();
        }
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                for (var tau = Math.Max(1, tauMin); tau < lags; tau++)
                    if (p[i][j][tau] <= alpha) graph[i][j][tau] = "-->";
                if (tauMin > 0 || i == j) continue;
                bool ij = p[i][j][0] <= alpha, ji = p[j][i][0] <= alpha;
                if (ij && ji) graph[i][j][0] = "o-o";
                else if (ij) { graph[i][j][0] = "-->"; graph[j][i][0] = "<--"; }
            }
        return graph;
    }

    /// <summary>tigramite symmetrize_p_and_val_matrix: a contemporaneous pair keeps the larger p-value (and its statistic) both ways.</summary>
    internal static void SymmetrizeContemporaneous(double[][][] p, double[][][] val)
    {
        var n = p.Length;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                if (i == j) continue;
                if (p[i][j][0] >= p[j][i][0])
                {
                    p[j][i][0] = p[i][j][0];
                    val[j][i][0] = val[i][j][0];
                }
            }
    }

    internal static double[][][] Matrix(int n, int tauMax, double fill)
    {
        var m = new double[n][][];
        for (var i = 0; i < n; i++)
        {
            m[i] = new double[n][];
            for (var j = 0; j < n; j++)
            {
                m[i][j] = new double[tauMax + 1];
                Array.Fill(m[i][j], fill);
            }
        }
        return m;
    }

    internal static void ForEachVariable(int n, bool parallel, Action<int> body)
    {
        if (parallel) System.Threading.Tasks.Parallel.For(0, n, body);
        else for (var j = 0; j < n; j++) body(j);
    }
}
