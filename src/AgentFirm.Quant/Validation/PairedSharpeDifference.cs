namespace AgentFirm.Quant.Validation;

/// <summary>
/// The difference of two strategies' annualised Sharpe ratios over the same periods, with its uncertainty:
/// a bootstrap standard error and percentile interval, and the mean per-period return difference with its
/// plain standard error. <see cref="ProbabilityPositive"/> is the share of bootstrap samples in which A beat B.
/// </summary>
public sealed record SharpeDifference(
    double SharpeA,
    double SharpeB,
    double Difference,
    double StandardError,
    double Lower,
    double Upper,
    double Confidence,
    double ProbabilityPositive,
    double MeanReturnDifference,
    double MeanReturnDifferenceStandardError,
    int Periods,
    int Samples,
    int BlockLength);

/// <summary>
/// Paired circular block bootstrap of a Sharpe ratio difference (Politis &amp; Romano, "A circular block-resampling
/// procedure for stationary data", 1992): both return series are resampled with the SAME blocks of periods,
/// so what they share (the market on those dates) cancels, and blocks keep short-range dependence. The block
/// length defaults to ceil(T^(1/3)), the order Hall, Horowitz &amp; Jing (Biometrika 82, 1995) found optimal
/// for variance estimation. Sharpe = mean / sample standard deviation * sqrt(periods per year), 0 for a flat
/// series, as <see cref="Metrics.PerformanceMetrics"/> computes it. Deterministic for a given seed.
/// </summary>
public static class PairedSharpeDifference
{
    public static SharpeDifference Estimate(IReadOnlyList<double> a, IReadOnlyList<double> b, double periodsPerYear,
        int samples = 2000, int? blockLength = null, int seed = 1, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var n = a.Count;
        if (b.Count != n) throw new ArgumentException($"the two return series must be paired period by period: {n} and {b.Count} periods");
        if (n < 3) throw new ArgumentException($"too few periods: {n}, at least 3 are needed", nameof(a));
        if (!(periodsPerYear > 0)) throw new ArgumentOutOfRangeException(nameof(periodsPerYear), periodsPerYear, "periods per year must be positive");
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, "at least 2 bootstrap samples are needed");
        if (!(confidence > 0 && confidence < 1)) throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "confidence must lie strictly between 0 and 1");
        for (var t = 0; t < n; t++)
            if (!double.IsFinite(a[t]) || !double.IsFinite(b[t])) throw new ArgumentException($"period {t} has a return that is not a finite number");
        var block = blockLength ?? (int)Math.Ceiling(Math.Cbrt(n));
        if (block < 1 || block > n) throw new ArgumentOutOfRangeException(nameof(blockLength), block, $"the block length must lie in [1, {n}]");

        var annualise = Math.Sqrt(periodsPerYear);
        var sharpeA = AnnualisedSharpe(a, periodsPerYear);
        var sharpeB = AnnualisedSharpe(b, periodsPerYear);

        var random = new Random(seed);
        var deltas = new double[samples];
        var positive = 0;
        for (var s = 0; s < samples; s++)
        {
            double sa = 0, qa = 0, sb = 0, qb = 0;
            var filled = 0;
            while (filled < n)
            {
                var start = random.Next(n);
                for (var k = 0; k < block && filled < n; k++, filled++)
                {
                    var t = (start + k) % n;
                    sa += a[t]; qa += a[t] * a[t];
                    sb += b[t]; qb += b[t] * b[t];
                }
            }
            var d = (Sharpe(sa, qa, n) - Sharpe(sb, qb, n)) * annualise;
            deltas[s] = d;
            if (d > 0) positive++;
        }
        Array.Sort(deltas);
        var mean = deltas.Average();
        var se = Math.Sqrt(deltas.Sum(d => (d - mean) * (d - mean)) / (samples - 1));
        var tail = (1 - confidence) / 2;

        var diff = new double[n];
        for (var t = 0; t < n; t++) diff[t] = a[t] - b[t];
        var meanDiff = diff.Average();
        var sdDiff = Math.Sqrt(diff.Sum(x => (x - meanDiff) * (x - meanDiff)) / (n - 1));

        return new SharpeDifference(sharpeA, sharpeB, sharpeA - sharpeB, se, Quantile(deltas, tail), Quantile(deltas, 1 - tail), confidence,
            positive / (double)samples, meanDiff, sdDiff / Math.Sqrt(n), n, samples, block);
    }

    /// <summary>The point estimate exactly as <see cref="Metrics.PerformanceMetrics"/> reports it, so the table and the difference agree.</summary>
    private static double AnnualisedSharpe(IReadOnlyList<double> returns, double periodsPerYear)
    {
        var volatility = Metrics.PerformanceMetrics.SampleStdDev(returns) * Math.Sqrt(periodsPerYear);
        return volatility > 0 ? returns.Average() * periodsPerYear / volatility : 0;
    }

    /// <summary>Per-period mean over sample deviation from running sums; 0 when the deviation vanishes (a flat series).</summary>
    private static double Sharpe(double sum, double sumSq, int count)
    {
        var mean = sum / count;
        var variance = (sumSq - sum * mean) / (count - 1);
        return variance > 1e-24 + 1e-12 * (sumSq / count) ? mean / Math.Sqrt(variance) : 0;
    }

    /// <summary>Linear interpolation between order statistics (type 7 of Hyndman &amp; Fan, 1996) of sorted values.</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
