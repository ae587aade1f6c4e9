namespace AgentFirm.Dashboard.Components;

/// <summary>Which points of a long series a chart draws: evenly spaced, first and last always included.</summary>
internal static class ChartSampling
{
    /// <summary>Charts draw values times this, so whole-number tick spacing can still mark hundredths.</summary>
    public const double Scale = 100;

    /// <summary>A 1-2-5 tick spacing (whole number, at least 1) giving about five ticks over the drawn range.</summary>
    public static int TickSpacing(double min, double max)
    {
        var range = Math.Max(max - min, 1e-9);
        var raw = range / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1.0, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw * (1 - 1e-9));
        return (int)Math.Max(1, Math.Round(step));
    }

    public static IReadOnlyList<int> Pick(int count, int max)
    {
        if (count <= max) return Enumerable.Range(0, count).ToArray();
        var step = (count - 1) / (double)(max - 1);
        return Enumerable.Range(0, max).Select(k => (int)Math.Round(k * step)).Distinct().ToArray();
    }
}
