namespace AgentFirm.Models.Forecasting;

/// <summary>
/// Quantiles of a regression label as the point forecast plus empirical quantiles of held-out residuals
/// (split-conformal style): used where the model itself has no quantile objective. Fitted on the validation
/// part only, so they reflect out-of-sample error. Ordered by construction.
/// </summary>
public static class ResidualQuantiles
{
    public static readonly double[] Levels = [0.1, 0.5, 0.9];

    /// <summary>The 10/50/90% quantiles of residuals (type-7 linear interpolation); zeros when there are none.</summary>
    public static double[] Fit(IReadOnlyList<double> residuals)
    {
        if (residuals.Count == 0) return [0, 0, 0];
        var sorted = residuals.OrderBy(r => r).ToArray();
        return Levels.Select(p => Quantile(sorted, p)).ToArray();
    }

    public static double Quantile(double[] sorted, double p)
    {
        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    public static Forecast Apply(double point, double[] offsets) =>
        new(point, point + offsets[0], point + offsets[1], point + offsets[2]);
}
