using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

internal static class TrueRange
{
    /// <summary>
    /// Wilder 1978: the greatest of high-low, |high-previous close|, |low-previous close|; the first bar,
    /// having no previous close, uses high-low.
    /// </summary>
    public static double Of(in Bar bar, double previousClose)
    {
        var range = bar.High - bar.Low;
        if (double.IsNaN(previousClose)) return range;
        return Math.Max(range, Math.Max(Math.Abs(bar.High - previousClose), Math.Abs(bar.Low - previousClose)));
    }
}
