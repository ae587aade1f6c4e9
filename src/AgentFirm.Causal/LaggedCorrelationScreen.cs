using AgentFirm.Core;

namespace AgentFirm.Causal;

public enum FdrCorrection { None, BenjaminiHochberg }

public enum ScreenMethod { Pcmci, LaggedCorrelation }

/// <summary>A candidate driver aligned step by step with the target; NaN marks a missing value (masked, never filled).</summary>
public sealed record DriverSeries(string Name, IReadOnlyList<double> Values);

/// <summary>A tested link: driver at t - Lag against the target at t, over Samples pairs with both values present.</summary>
public sealed record CausalLink(string Driver, int Lag, double Correlation, double PValue, int Samples);

/// <param name="MaxLag">Lags 1..MaxLag are tested (lag 0 is never a lead).</param>
/// <param name="Window">Target steps in the rolling window ending at the decision step.</param>
/// <param name="Alpha">Significance level; with Benjamini-Hochberg it is the false discovery rate over all tests of one screen.</param>
/// <param name="MinSamples">Pairs a test needs; with fewer it is not run (and not counted).</param>
/// <param name="Method">PCMCI with ParCorr (conditions on the target's and the drivers' pasts) or the plain lagged-correlation screen.</param>
/// <param name="PcAlpha">PCMCI's condition-selection level (tigramite's pc_alpha); null = auto.</param>
/// <param name="MaxConds">PCMCI's cap on condition-set sizes (max_conds_dim, _py, _px); null = none, as tigramite.</param>
public sealed record ScreenOptions(int MaxLag = 5, int Window = 250, double Alpha = 0.05, FdrCorrection Fdr = FdrCorrection.BenjaminiHochberg, int MinSamples = 30,
    ScreenMethod Method = ScreenMethod.Pcmci, double? PcAlpha = 0.2, int? MaxConds = null)
{
    public void Validate()
    {
        if (MaxLag < 1) throw new BadInputException($"Max lag must be at least 1, got {MaxLag}.");
        if (Window < 4) throw new BadInputException($"Screen window must be at least 4 steps, got {Window}.");
        if (!(Alpha is > 0 and < 1)) throw new BadInputException($"Alpha must be in (0, 1), got {Alpha}.");
        if (MinSamples < 4) throw new BadInputException($"Min samples must be at least 4 (Fisher's z needs n > 3), got {MinSamples}.");
        if (PcAlpha is { } pc && !(pc is > 0 and <= 1)) throw new BadInputException($"pc_alpha must be in (0, 1], got {pc}.");
    }
}

/// <summary>
/// One screen at decision step AsOf: every test run, the significant ones (parents) and the network density
/// (share of tests that came out significant), which the seeds suggest watching as a regime indicator.
/// PCMCI also gives the density of the whole network (all variables as targets), which is preferred when known.
/// </summary>
public sealed record ScreenResult(int AsOf, IReadOnlyList<CausalLink> Parents, IReadOnlyList<CausalLink> Tests, double? NetworkDensity = null)
{
    public double Density => NetworkDensity ?? (Tests.Count == 0 ? 0 : Parents.Count / (double)Tests.Count);
}

/// <summary>
/// Lagged cross-correlation screening, the simple forerunner of PCMCI: for each driver and lag 1..L, the Pearson
/// correlation of driver[t - lag] with target[t] over the window t in (AsOf - Window, AsOf], Fisher-z p-values and
/// optionally Benjamini-Hochberg control of the false discovery rate across all driver-lag tests.
/// Time discipline: index t is a step; the target and the drivers of step t are known once step t has ended, and
/// the decision at AsOf is taken then. Nothing at an index above AsOf is ever read. A parent (driver, lag) then
/// forecasts target[AsOf + 1] from driver[AsOf + 1 - lag], already known. No conditioning on other drivers yet:
/// a common cause or an autocorrelated target can make a driver look like a parent (PCMCI will fix that).
/// </summary>
public sealed class LaggedCorrelationScreen
{
    public LaggedCorrelationScreen(ScreenOptions? options = null)
    {
        Options = options ?? new ScreenOptions();
        Options.Validate();
    }

    public ScreenOptions Options { get; }

    public ScreenResult Screen(IReadOnlyList<double> target, IReadOnlyList<DriverSeries> drivers, int asOf)
    {
        if (asOf < 0 || asOf >= target.Count) throw new ArgumentOutOfRangeException(nameof(asOf), $"Decision step {asOf} is outside the target's {target.Count} steps.");
        foreach (var d in drivers)
            if (d.Values.Count <= asOf) throw new ArgumentException($"Driver '{d.Name}' has {d.Values.Count} steps; step {asOf} is needed.");

        var tests = new List<CausalLink>(drivers.Count * Options.MaxLag);
        var first = Math.Max(0, asOf - Options.Window + 1);
        foreach (var driver in drivers)
            for (var lag = 1; lag <= Options.MaxLag; lag++)
            {
                var (r, n) = LaggedPearson(target, driver.Values, lag, Math.Max(first, lag), asOf);
                if (n < Options.MinSamples || double.IsNaN(r)) continue;
                tests.Add(new CausalLink(driver.Name, lag, r, FisherZ.PValue(r, n), n));
            }

        var threshold = Options.Fdr == FdrCorrection.BenjaminiHochberg
            ? BenjaminiHochbergThreshold(tests.Select(t => t.PValue).ToArray(), Options.Alpha)
            : Options.Alpha;
        var parents = tests
            .Where(t => Options.Fdr == FdrCorrection.BenjaminiHochberg ? t.PValue <= threshold : t.PValue < threshold)
            .OrderBy(t => t.PValue).ThenBy(t => t.Driver, StringComparer.Ordinal).ThenBy(t => t.Lag)
            .ToArray();
        return new ScreenResult(asOf, parents, tests);
    }

    /// <summary>
    /// Screens every variable as a target against all variables (itself included, as autodependence), so the
    /// density covers the whole lagged network.
    /// </summary>
    public ScreenResult Network(IReadOnlyList<DriverSeries> variables, int asOf)
    {
        var parents = new List<CausalLink>();
        var tests = new List<CausalLink>();
        foreach (var v in variables)
        {
            var one = Screen(v.Values, variables, asOf);
            parents.AddRange(one.Parents.Select(p => p with { Driver = $"{p.Driver}->{v.Name}" }));
            tests.AddRange(one.Tests.Select(p => p with { Driver = $"{p.Driver}->{v.Name}" }));
        }
        return new ScreenResult(asOf, parents, tests);
    }

    /// <summary>Pearson correlation of x[t - lag] with y[t] for t in [from, to], skipping pairs with a NaN (two passes for accuracy).</summary>
    internal static (double R, int N) LaggedPearson(IReadOnlyList<double> y, IReadOnlyList<double> x, int lag, int from, int to)
    {
        double sx = 0, sy = 0;
        var n = 0;
        for (var t = from; t <= to; t++)
        {
            double a = x[t - lag], b = y[t];
            if (double.IsNaN(a) || double.IsNaN(b)) continue;
            sx += a;
            sy += b;
            n++;
        }
        if (n < 2) return (double.NaN, n);
        double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
        for (var t = from; t <= to; t++)
        {
            double a = x[t - lag], b = y[t];
            if (double.IsNaN(a) || double.IsNaN(b)) continue;
            sxy += (a - mx) * (b - my);
            sxx += (a - mx) * (a - mx);
            syy += (b - my) * (b - my);
        }
        return sxx > 0 && syy > 0 ? (Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1), n) : (double.NaN, n);
    }

    /// <summary>
    /// Benjamini &amp; Hochberg (1995) step-up: the largest p(k) with p(k) &lt;= k alpha / m; every p-value at or below it
    /// is a discovery. Returns -1 (nothing significant) when no k qualifies.
    /// </summary>
    internal static double BenjaminiHochbergThreshold(double[] pValues, double alpha)
    {
        var sorted = (double[])pValues.Clone();
        Array.Sort(sorted);
        var m = sorted.Length;
        for (var k = m; k >= 1; k--)
            if (sorted[k - 1] <= k * alpha / m) return sorted[k - 1];
        return -1;
    }
}
