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
        if (asOf < 0 || asOf >= target.Count) throw new ArgumentOutOfRangeException(nameof(asOf), $"Decision step {asOf} is outside the target's {target.Count} steps.");
        foreach (var d in drivers)
            if (d.Values.Count <= asOf) throw new ArgumentException($"Driver '{d.Name}' has {d.Values.Count} steps; step {asOf} is needed.");
        var tauMax = Options.MaxLag;
        // tigramite tests the samples 2 tau_max .. T-1 of what it is given: hand it the window plus that lead-in
        var from = Math.Max(0, asOf - Options.Window + 1 - 2 * tauMax);
        var length = asOf - from + 1;
        var targetSlice = Slice(target, from, length);
        if (length - 2 * tauMax < Options.MinSamples || !Usable(targetSlice)) return new ScreenResult(asOf, [], []);

        var names = new List<string> { Self };
        var series = new List<double[]> { targetSlice };
        foreach (var d in drivers)
        {
            var values = Slice(d.Values, from, length);
            if (!Usable(values)) continue;
            names.Add(d.Name);
            series.Add(values);
        }
        var result = Pcmci.Run(new PcmciData(names, series), new PcmciOptions
        {
            TauMin = 1, TauMax = tauMax, PcAlpha = Options.PcAlpha, Alpha = Options.Alpha, Fdr = FdrCorrection.None, Parallel = false,
        });

        var samples = length - 2 * tauMax;
        var tests = new List<CausalLink>();
        for (var i = 0; i < names.Count; i++)
            for (var lag = 1; lag <= tauMax; lag++)
            {
                var p = result.PMatrix[i][0][lag];
                if (double.IsNaN(p)) continue;
                tests.Add(new CausalLink(names[i], lag, result.ValMatrix[i][0][lag], p, samples));
            }
        var parents = Significant(tests.Select(t => t.PValue).ToArray(), out var threshold)
            ? tests.Where(t => Passes(t.PValue, threshold)).OrderBy(t => t.PValue).ThenBy(t => t.Driver, StringComparer.Ordinal).ThenBy(t => t.Lag).ToArray()
            : [];

        var network = new List<double>();
        for (var i = 0; i < names.Count; i++)
            for (var j = 0; j < names.Count; j++)
                for (var lag = 1; lag <= tauMax; lag++)
                    if (!double.IsNaN(result.PMatrix[i][j][lag])) network.Add(result.PMatrix[i][j][lag]);
        var density = network.Count == 0 || !Significant(network.ToArray(), out var all) ? 0 : network.Count(p => Passes(p, all)) / (double)network.Count;
        return new ScreenResult(asOf, parents, tests, density);
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
