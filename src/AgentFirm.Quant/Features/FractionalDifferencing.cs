namespace AgentFirm.Quant.Features;

/// <summary>
/// Fractional differencing with a fixed-width window (FFD), Lopez de Prado, Advances in Financial Machine
/// Learning (2018), chapter 5.5: the series (1 - B)^d x, whose weights follow w_0 = 1, w_k = -w_{k-1}
/// (d - k + 1) / k, truncated at the first weight below the threshold in magnitude, and applied as
/// x~_t = sum_k w_k x_{t-k} to every t with a full window. With 0 &lt; d &lt; 1 the result is closer to
/// stationary than the level yet keeps memory of it; d = 1 gives first differences, d = 0 the series.
/// As-of: row t reads x_{t-l+1..t} only.
/// </summary>
public static class FractionalDifferencing
{
    /// <summary>Weights w_0..w_{l-1}, stopping before the first |w_k| &lt; threshold (AFML snippet 5.3's rule).</summary>
    public static double[] Weights(double d, double threshold = 1e-4, int maxWidth = 10_000)
    {
        if (!(d >= 0) || !double.IsFinite(d)) throw new ArgumentOutOfRangeException(nameof(d), d, "The differencing order must be finite and >= 0.");
        if (!(threshold > 0)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The weight threshold must be positive.");
        var weights = new List<double> { 1.0 };
        for (var k = 1; k < maxWidth; k++)
        {
            var next = -weights[^1] * (d - k + 1) / k;
            if (Math.Abs(next) < threshold) break;
            weights.Add(next);
        }
        return weights.ToArray();
    }

    /// <summary>The FFD series: NaN for the first l - 1 rows and wherever the window holds a NaN.</summary>
    public static double[] Apply(ReadOnlySpan<double> x, double d, double threshold = 1e-4)
    {
        var w = Weights(d, threshold);
        var result = new double[x.Length];
        for (var t = 0; t < x.Length; t++)
        {
            if (t < w.Length - 1)
            {
                result[t] = double.NaN;
                continue;
            }
            var sum = 0.0;
            for (var k = 0; k < w.Length; k++) sum += w[k] * x[t - k];
            result[t] = sum; // a NaN anywhere in the window propagates
        }
        return result;
    }
}
