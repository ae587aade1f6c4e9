using System.Globalization;
using AgentFirm.Causal;

namespace AgentFirm.Models.Forecasting.Selection;

/// <summary>Settings of the causal-parent selection.</summary>
public sealed record CausalSelectionOptions
{
    /// <summary>Candidates handed to PCMCI: the features with the largest |correlation| with the target on the training samples.</summary>
    public int MaxCandidates { get; init; } = 15;

    /// <summary>Largest lag (in steps of the label horizon) a parent may lead the return by; 1 = the feature's value at the decision.</summary>
    public int TauMax { get; init; } = 1;
    public double PcAlpha { get; init; } = 0.2;
    public double Alpha { get; init; } = 0.05;
    public FdrCorrection Fdr { get; init; } = FdrCorrection.None;

    public void Validate()
    {
        if (MaxCandidates < 1) throw new ArgumentOutOfRangeException(nameof(MaxCandidates), MaxCandidates, "at least one candidate");
        if (TauMax < 1) throw new ArgumentOutOfRangeException(nameof(TauMax), TauMax, "tau_max must be at least 1 (parents must lead the return)");
        if (!(Alpha is > 0 and < 1) || !(PcAlpha is > 0 and <= 1)) throw new ArgumentException($"alpha {Alpha} / pc_alpha {PcAlpha} out of range");
    }
}

/// <summary>
/// Keeps the features that PCMCI with ParCorr (Runge et al. 2019; <see cref="Pcmci"/>) finds to be lagged causal
/// parents of the forward return, on the training samples only.
/// <para>Alignment (lookahead-free). A feature row t is known at bar t's close; its target is the return realised
/// over the label's window, ret[t] = ln(close[end_t] / close[t]) (<see cref="LabelReturns"/>; for a direction or
/// return label end_t = t + h). PCMCI reads one series per variable on a grid of steps t_k = t_0 + k h (h = the
/// label horizon, so consecutive returns do not overlap). At step k the feature variable is the feature at t_k and
/// the return variable is R_k = ret[t_{k-1}], the return realised over (t_{k-1}, t_k]; so every value of step k is
/// known at t_k, like any time series PCMCI expects. A lag-1 link X_{k-1} -&gt; R_k then reads "the feature at t
/// leads the return realised after t", which is what the forecaster uses; R's own lag is the previous,
/// already realised return, so persistence in returns is conditioned away. tau_min = 1: same-step links would
/// pair a feature at t_k with the return that ended at t_k, i.e. explain the past.</para>
/// <para>Cost control: only the <see cref="CausalSelectionOptions.MaxCandidates"/> features with the largest
/// |Pearson correlation| of feature(t) with ret[t] on the training samples enter PCMCI. Steps whose sample is not a
/// training sample are missing (PCMCI masks them), so purged k-fold training sets with holes work as well.</para>
/// Selected: every candidate with a link to R at some lag 1..tau_max with MCI p &lt; alpha. If none passes, the
/// candidate with the smallest MCI p-value is kept (a model needs an input) and the report says so.
/// </summary>
public sealed class CausalParentSelector : IFeatureSelector
{
    private const string Target = "forward_return";
    private readonly IReadOnlyList<double>? _returns;
    private readonly int _stride;

    /// <param name="forwardReturns">ret[t] per row of the dataset, row 0 first (NaN where unknown); null = use the dataset's labels as the target.</param>
    /// <param name="stride">The label horizon h in rows: the spacing of PCMCI's steps.</param>
    public CausalParentSelector(IReadOnlyList<double>? forwardReturns, int stride, CausalSelectionOptions? options = null)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "the label horizon is at least 1 row");
        _returns = forwardReturns;
        _stride = stride;
        Options = options ?? new CausalSelectionOptions();
    }

    public CausalSelectionOptions Options { get; }
    public string Method => "causal";

    public FeatureSelectionReport Select(ForecastDataset data, IReadOnlyList<int> train)
    {
        Options.Validate();
        // the dataset may be a prefix of the rows the returns were computed for (a training window)
        if (_returns is not null && _returns.Count < data.Count) throw new ArgumentException($"{_returns.Count} forward returns for {data.Count} rows");
        double Ret(int t) => _returns is null ? data.Labels[t] : _returns[t];
        var p = data.FeatureNames.Count;
        var samples = train.Where(t => double.IsFinite(Ret(t))).ToArray();
        if (samples.Length < 30) throw new ArgumentException($"causal selection needs at least 30 training samples with a known return, got {samples.Length}");

        // Pre-screen: |corr(feature(t), ret(t))| over the training samples.
        var y = samples.Select(Ret).ToArray();
        var screen = new double[p];
        for (var j = 0; j < p; j++) screen[j] = Math.Abs(Correlation(samples.Select(t => data.Rows[t][j]).ToArray(), y));
        var candidates = Enumerable.Range(0, p).Where(j => double.IsFinite(screen[j]))
            .OrderByDescending(j => screen[j]).ThenBy(j => j).Take(Options.MaxCandidates).ToArray();
        if (candidates.Length == 0) throw new ArgumentException("no feature varies over the training samples");

        // The step grid t_k = first + k h; step k holds feature(t_k) and R_k = ret(t_{k-1}).
        var isTrain = new HashSet<int>(samples);
        var first = samples[0];
        var steps = (samples[^1] - first) / _stride + 2;
        var series = new double[candidates.Length + 1][];
        for (var v = 0; v <= candidates.Length; v++) { series[v] = new double[steps]; Array.Fill(series[v], double.NaN); }
        for (var k = 0; k < steps; k++)
        {
            var t = first + k * _stride;
            if (isTrain.Contains(t))
                for (var c = 0; c < candidates.Length; c++) series[c + 1][k] = data.Rows[t][candidates[c]];
            var previous = t - _stride;
            if (k > 0 && isTrain.Contains(previous)) series[0][k] = Ret(previous);
        }
        var names = new[] { Target }.Concat(candidates.Select(j => data.FeatureNames[j])).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length) names = new[] { Target }.Concat(candidates.Select(j => $"x{j}")).ToArray();
        var result = Pcmci.Run(new PcmciData(names, series), new PcmciOptions
        {
            TauMin = 1, TauMax = Options.TauMax, PcAlpha = Options.PcAlpha, Alpha = Options.Alpha, Fdr = Options.Fdr, Parallel = false,
        });

        var best = new (double P, double Val, int Lag)[candidates.Length];
        for (var c = 0; c < candidates.Length; c++)
        {
            // p = 1 with value 0 arises when a candidate is an exact copy of a condition (a feature's _lag1 column
            // beside the feature itself one step back): it adds nothing, so it is no parent.
            best[c] = (1.0, 0.0, 1);
            for (var lag = 1; lag <= Options.TauMax; lag++)
            {
                var pv = result.PMatrix[c + 1][0][lag];
                if (double.IsFinite(pv) && pv < best[c].P) best[c] = (pv, result.ValMatrix[c + 1][0][lag], lag);
            }
        }
        var keep = Enumerable.Range(0, candidates.Length).Where(c => best[c].P < Options.Alpha).Select(c => candidates[c]).ToList();
        var note = "";
        if (keep.Count == 0)
        {
            var c0 = Enumerable.Range(0, candidates.Length).OrderBy(c => best[c].P).ThenBy(c => candidates[c]).First();
            keep.Add(candidates[c0]);
            note = $"no causal parent at alpha {Options.Alpha.ToString(CultureInfo.InvariantCulture)}: kept the candidate with the smallest MCI p-value";
        }
        var selfP = Enumerable.Range(1, Options.TauMax).Min(lag => result.PMatrix[0][0][lag]);
        note = (note.Length > 0 ? note + "; " : "") + string.Create(CultureInfo.InvariantCulture, $"{steps} steps of {_stride} rows; return's own lag p {selfP:G3}");

        var decisions = new List<FeatureDecision>();
        for (var j = 0; j < p; j++)
        {
            var c = Array.IndexOf(candidates, j);
            decisions.Add(c < 0
                ? new FeatureDecision(data.FeatureNames[j], false, "screened-out", double.NaN, double.NaN, string.Create(CultureInfo.InvariantCulture, $"|corr| {screen[j]:G3}"))
                : new FeatureDecision(data.FeatureNames[j], keep.Contains(j), best[c].P < Options.Alpha ? "parent" : keep.Contains(j) ? "fallback" : "not-parent",
                    best[c].Val, best[c].P, string.Create(CultureInfo.InvariantCulture, $"lag {best[c].Lag}; |corr| {screen[j]:G3}")));
        }
        var ordered = keep.Order().ToArray();
        return new FeatureSelectionReport(Method, ordered, ordered.Select(j => data.FeatureNames[j]).ToArray(), decisions, samples.Length, note);
    }

    private static double Correlation(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }
}

/// <summary>The return each label is about: ln(close[end_t] / close[t]) over the label's own window (NaN where unresolved).</summary>
public static class LabelReturns
{
    public static double[] From(SupervisedData data)
    {
        var r = new double[data.Count];
        for (var t = 0; t < data.Count; t++)
        {
            var end = data.Labels.Ends[t];
            r[t] = end >= 0 ? Math.Log(data.Bars[end].Close / data.Bars[t].Close) : double.NaN;
        }
        return r;
    }
}
