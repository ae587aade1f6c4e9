namespace AgentFirm.Causal;

/// <summary>
/// The causal screen with PCMCI and ParCorr (Runge et al. 2019): over the rolling window ending at the decision
/// step it runs PCMCI on the target and every usable driver together, so a driver only counts as a parent of the
/// target when it leads it given the target's own past and the other drivers' (a common cause or an
/// autocorrelated target no longer fakes a link, as it can in <see cref="LaggedCorrelationScreen"/>). Parents are
/// the target's lagged links (lags 1..MaxLag; the target's own lags appear as driver <see cref="Self"/>) whose MCI
/// p-value passes alpha, after Benjamini-Hochberg over the target's links when asked. The density is the share
/// of significant lagged links in the whole network (every variable as a target), the regime indicator.
/// Drivers with fewer than MinSamples values in the window, or none varying, are left out of that run.
/// Time discipline as in the correlation screen: nothing after the decision step is read.
/// </summary>
public sealed class PcmciScreen
{
    /// <summary>Driver name under which the target's own past is reported.</summary>
    public const string Self = "self";

    public PcmciScreen(ScreenOptions? options = null)
    {
        Options = options ?? new ScreenOptions();
        Options.Validate();
    }

    public ScreenOptions Options { get; }

    public ScreenResult Screen(IReadOnlyList<double> target, IReadOnlyList<DriverSeries> drivers, int asOf)
    {
        var variables = new List<DriverSeries>(drivers.Count + 1) { new(Self, target) };
        variables.AddRange(drivers);
        return ScreenNetwork(variables, [Self], asOf)[Self];
    }

    /// <summary>
    /// One PCMCI run over all <paramref name="variables"/>, read out for each of <paramref name="targets"/> (names
    /// of variables): its parents among all the others (its own past reported as <see cref="Self"/>). One run
    /// serves every traded asset, so a firm of N assets pays for one screen per decision, not N.
    /// </summary>
    public IReadOnlyDictionary<string, ScreenResult> ScreenNetwork(IReadOnlyList<DriverSeries> variables, IReadOnlyList<string> targets, int asOf)
    {
        if (variables.Count == 0) throw new ArgumentException("No variables to screen.");
        if (asOf < 0) throw new ArgumentOutOfRangeException(nameof(asOf), $"Decision step {asOf} is negative.");
        foreach (var v in variables)
            if (v.Values.Count <= asOf) throw new ArgumentException($"Series '{v.Name}' has {v.Values.Count} steps; step {asOf} is needed.");
        if (variables.Select(v => v.Name).Distinct(StringComparer.Ordinal).Count() != variables.Count) throw new ArgumentException("Variable names must be unique.");
        foreach (var t in targets)
            if (!variables.Any(v => v.Name == t)) throw new ArgumentException($"Target '{t}' is not among the variables.");
        var tauMax = Options.MaxLag;
        // tigramite tests the samples 2 tau_max .. T-1 of what it is given: hand it the window plus that lead-in
        var from = Math.Max(0, asOf - Options.Window + 1 - 2 * tauMax);
        var length = asOf - from + 1;
        var empty = new ScreenResult(asOf, [], []);
        var results = targets.Distinct().ToDictionary(t => t, _ => empty, StringComparer.Ordinal);
        if (length - 2 * tauMax < Options.MinSamples) return results;

        var names = new List<string>();
        var series = new List<double[]>();
        foreach (var v in variables)
        {
            var values = Slice(v.Values, from, length);
            if (!Usable(values)) continue;
            names.Add(v.Name);
            series.Add(values);
        }
        var targetIndex = targets.Distinct().Select(t => (Name: t, Index: names.IndexOf(t))).Where(t => t.Index >= 0).ToArray();
        if (targetIndex.Length == 0) return results;
        var result = Pcmci.Run(new PcmciData(names, series), new PcmciOptions
        {
            TauMin = 1, TauMax = tauMax, PcAlpha = Options.PcAlpha, Alpha = Options.Alpha, Fdr = FdrCorrection.None, Parallel = false,
            MaxCondsDim = Options.MaxConds, MaxCondsPy = Options.MaxConds, MaxCondsPx = Options.MaxConds,
        });

        var network = new List<double>();
        for (var i = 0; i < names.Count; i++)
            for (var j = 0; j < names.Count; j++)
                for (var lag = 1; lag <= tauMax; lag++)
                    if (!double.IsNaN(result.PMatrix[i][j][lag])) network.Add(result.PMatrix[i][j][lag]);
        var density = network.Count == 0 || !Significant(network.ToArray(), out var all) ? 0 : network.Count(p => Passes(p, all)) / (double)network.Count;

        var samples = length - 2 * tauMax;
        foreach (var (target, j) in targetIndex)
        {
            var tests = new List<CausalLink>();
            for (var i = 0; i < names.Count; i++)
                for (var lag = 1; lag <= tauMax; lag++)
                {
                    var p = result.PMatrix[i][j][lag];
                    if (double.IsNaN(p)) continue;
                    tests.Add(new CausalLink(i == j ? Self : names[i], lag, result.ValMatrix[i][j][lag], p, samples));
                }
            var parents = Significant(tests.Select(t => t.PValue).ToArray(), out var threshold)
                ? tests.Where(t => Passes(t.PValue, threshold)).OrderBy(t => t.PValue).ThenBy(t => t.Driver, StringComparer.Ordinal).ThenBy(t => t.Lag).ToArray()
                : [];
            results[target] = new ScreenResult(asOf, parents, tests, density);
        }
        return results;
    }

    private bool Significant(double[] pValues, out double threshold)
    {
        threshold = Options.Fdr == FdrCorrection.BenjaminiHochberg ? LaggedCorrelationScreen.BenjaminiHochbergThreshold(pValues, Options.Alpha) : Options.Alpha;
        return threshold >= 0;
    }

    private bool Passes(double p, double threshold) => Options.Fdr == FdrCorrection.BenjaminiHochberg ? p <= threshold : p < threshold;

    private bool Usable(double[] values)
    {
        var n = 0;
        double first = double.NaN;
        var varies = false;
        foreach (var v in values)
        {
            if (double.IsNaN(v)) continue;
            if (n++ == 0) first = v;
            else if (v != first) varies = true;
        }
        return n >= Options.MinSamples && varies;
    }

    private static double[] Slice(IReadOnlyList<double> values, int from, int length)
    {
        var slice = new double[length];
        for (var t = 0; t < length; t++)
        {
            var v = values[from + t];
            slice[t] = double.IsFinite(v) ? v : double.NaN; // an infinite value is as unusable as a missing one
        }
        return slice;
    }
}
