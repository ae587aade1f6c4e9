namespace AgentFirm.Quant.Labels;

/// <summary>
/// Fixed-horizon labels from closes: at bar t (decided at its close) the label looks at close[t + h].
/// Bars whose horizon runs past the series end get NaN: they are not known yet and must not be trained on.
/// </summary>
public static class FixedHorizonLabels
{
    /// <summary>Log return ln(close[t+h] / close[t]); NaN for the last h bars.</summary>
    public static double[] Return(IReadOnlyList<double> closes, int horizon)
    {
        ArgumentNullException.ThrowIfNull(closes);
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "the horizon must be at least one bar");
        var labels = new double[closes.Count];
        for (var t = 0; t < labels.Length; t++)
            labels[t] = t + horizon < labels.Length ? Math.Log(closes[t + horizon] / closes[t]) : double.NaN;
        return labels;
    }

    /// <summary>1 when close[t+h] &gt; close[t], else 0 (a flat outcome is "not up"); NaN for the last h bars.</summary>
    public static double[] Direction(IReadOnlyList<double> closes, int horizon)
    {
        var returns = Return(closes, horizon);
        for (var t = 0; t < returns.Length; t++)
            if (!double.IsNaN(returns[t])) returns[t] = returns[t] > 0 ? 1 : 0;
        return returns;
    }
}
