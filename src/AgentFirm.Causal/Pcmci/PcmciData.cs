namespace AgentFirm.Causal;

/// <summary>
/// N aligned time series of T steps each, the input of PCMCI. NaN marks a missing value: it is masked per test
/// (a step drops out of a test when any value that test uses is missing), never filled.
/// </summary>
public sealed class PcmciData
{
    /// <param name="names">One name per variable.</param>
    /// <param name="series">series[v][t]: variable v at step t; all of the same length.</param>
    public PcmciData(IReadOnlyList<string> names, IReadOnlyList<double[]> series)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(series);
        if (names.Count != series.Count) throw new ArgumentException($"{names.Count} names for {series.Count} series.");
        if (series.Count == 0) throw new ArgumentException("At least one variable is needed.");
        var t = series[0].Length;
        for (var v = 0; v < series.Count; v++)
        {
            if (series[v].Length != t) throw new ArgumentException($"Series '{names[v]}' has {series[v].Length} steps, '{names[0]}' has {t}.");
            for (var s = 0; s < t; s++)
                if (double.IsInfinity(series[v][s])) throw new ArgumentException($"Series '{names[v]}' is infinite at step {s}.");
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count) throw new ArgumentException("Variable names must be distinct.");
        Names = names.ToArray();
        Series = series.Select(s => (double[])s.Clone()).ToArray();
        HasMissing = Series.Any(s => s.Any(double.IsNaN));
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>Series[v][t]; a private copy, so callers cannot change it under a running analysis.</summary>
    internal double[][] Series { get; }

    public int N => Series.Length;

    public int T => Series[0].Length;

    public bool HasMissing { get; }

    public double this[int variable, int step] => Series[variable][step];
}

/// <summary>Variable Var at step t - Lag (Lag &gt;= 0). Tigramite writes the same node as (Var, -Lag).</summary>
public readonly record struct LaggedVar(int Var, int Lag)
{
    public override string ToString() => $"({Var}, -{Lag})";
}

/// <summary>Test statistic, two-sided p-value and the number of samples the test used (after masking).</summary>
public readonly record struct CondIndResult(double Value, double PValue, int Samples);

/// <summary>A conditional-independence test X _||_ Y | Z for PCMCI (ParCorr, CMIknn).</summary>
public interface ICondIndTest
{
    /// <summary>Short name as tigramite spells it (parcorr, cmiknn).</summary>
    string Name { get; }

    /// <summary>
    /// Binds the test to one data set and tau_max: every test of the session uses the samples t = 2 tau_max .. T-1
    /// (tigramite's cut_off '2xtau_max'), so lags up to 2 tau_max may appear. Sessions are thread-safe.
    /// </summary>
    ICondIndSession Open(PcmciData data, int tauMax);
}

public interface ICondIndSession
{
    CondIndResult Test(LaggedVar x, LaggedVar y, ReadOnlySpan<LaggedVar> z);

    /// <summary>
    /// Akaike-type score of variable j at lag 0 explained by <paramref name="parents"/> (lower is better), used by
    /// pc_alpha auto; null when the test has no model-selection criterion (tigramite's CMIknn has none either).
    /// </summary>
    double? ModelSelectionScore(int j, ReadOnlySpan<LaggedVar> parents);
}
