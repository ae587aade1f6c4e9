using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment;

/// <param name="RecentBars">Bars whose mean volume is "now".</param>
/// <param name="BaselineBars">Bars before those whose mean volume is the baseline.</param>
/// <param name="VolumeScale">Log volume change that counts as a clear move: v = tanh(ln(recent / baseline) / scale).</param>
/// <param name="PriceBars">Bars over which the price's own move is measured for the divergence.</param>
public sealed record VolumeSentimentOptions(int RecentBars = 1, int BaselineBars = 7, double VolumeScale = 0.25, int PriceBars = 1)
{
    public static VolumeSentimentOptions Default { get; } = new();

    public void Validate()
    {
        if (RecentBars < 1 || BaselineBars < 1 || PriceBars < 1) throw new BadInputException("Recent, baseline and price bars must be at least 1.");
        if (!(VolumeScale > 0) || !double.IsFinite(VolumeScale)) throw new BadInputException($"Volume scale must be positive, got {VolumeScale}.");
    }

    public int BarsNeeded => Math.Max(RecentBars + BaselineBars, PriceBars + 2);
}

/// <summary>The sentiment index set against the market at one time.</summary>
/// <param name="Sentiment">S_t.</param>
/// <param name="VolumeChange">ln(mean volume of the recent bars / mean volume of the baseline bars before them).</param>
/// <param name="Rvs">Relative volume sentiment S_t x tanh(VolumeChange / scale): positive when sentiment and volume point the same way.</param>
/// <param name="PriceTone">tanh of the price's move over the price bars in units of its own bar volatility: the price's "opinion" in [-1, 1].</param>
/// <param name="Divergence">S_t - PriceTone: text more bullish (positive) or bearish (negative) than the tape.</param>
public sealed record SentimentMarketSignals(double Sentiment, double VolumeChange, double Rvs, double PriceTone, double Divergence)
{
    /// <summary>The RVS view: sentiment's sign only when volume agrees with it (RVS > 0); cash otherwise.</summary>
    public bool VolumeAgrees => Rvs > 0;
}

/// <summary>
/// Relative volume sentiment (the CARVS idea in the seeds): trade the sentiment's direction only when the
/// direction of volume change agrees with it (rising volume with positive sentiment, falling with negative);
/// a negative RVS recommends cash. Also the divergence of sentiment from the price's own move. Reads only
/// bars that closed at or before the decision time.
/// </summary>
public static class RelativeVolumeSentiment
{
    /// <summary>Signals at <paramref name="asOf"/> from bars in time order; null when there are too few closed bars or no sentiment.</summary>
    public static SentimentMarketSignals? Compute(double sentiment, ReadOnlySpan<Bar> bars, DateTimeOffset asOf, VolumeSentimentOptions? options = null)
    {
        var o = options ?? VolumeSentimentOptions.Default;
        if (double.IsNaN(sentiment)) return null;
        var end = bars.Length;
        while (end > 0 && bars[end - 1].CloseTime > asOf) end--; // bars still open at asOf are not known yet
        if (end < o.BarsNeeded) return null;
        var known = bars[..end];

        var recent = MeanVolume(known[^o.RecentBars..]);
        var baseline = MeanVolume(known[^(o.RecentBars + o.BaselineBars)..^o.RecentBars]);
        var volumeChange = recent > 0 && baseline > 0 ? Math.Log(recent / baseline) : 0;
        var rvs = sentiment * Math.Tanh(volumeChange / o.VolumeScale);

        var move = Math.Log(known[^1].Close / known[^(o.PriceBars + 1)].Close);
        var sd = BarVolatility(known);
        var priceTone = sd > 0 ? Math.Tanh(move / (sd * Math.Sqrt(o.PriceBars))) : 0;
        return new SentimentMarketSignals(sentiment, volumeChange, rvs, priceTone, sentiment - priceTone);
    }

    private static double MeanVolume(ReadOnlySpan<Bar> bars)
    {
        double sum = 0;
        foreach (var b in bars) sum += b.Volume;
        return sum / bars.Length;
    }

    /// <summary>Standard deviation of log close-to-close returns over the known bars (at most the last 60).</summary>
    private static double BarVolatility(ReadOnlySpan<Bar> bars)
    {
        var start = Math.Max(1, bars.Length - 60);
        double sum = 0, sumSq = 0;
        var n = 0;
        for (var i = start; i < bars.Length; i++)
        {
            if (!(bars[i - 1].Close > 0) || !(bars[i].Close > 0)) continue;
            var r = Math.Log(bars[i].Close / bars[i - 1].Close);
            sum += r;
            sumSq += r * r;
            n++;
        }
        if (n < 2) return 0;
        var mean = sum / n;
        return Math.Sqrt(Math.Max(0, (sumSq - n * mean * mean) / (n - 1)));
    }
}
