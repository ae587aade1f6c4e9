using AgentFirm.Core;
using AgentFirm.Models.Sentiment;

namespace AgentFirm.Models.Tests.Sentiment;

public sealed class RelativeVolumeSentimentTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Bar[] Bars(params (double Close, double Volume)[] rows) =>
        rows.Select((r, i) => new Bar(T0.AddDays(i), TimeSpan.FromDays(1), r.Close, r.Close, r.Close, r.Close, r.Volume)).ToArray();

    [Fact]
    public void Rvs_is_positive_only_when_volume_moves_with_sentiment()
    {
        var o = new VolumeSentimentOptions(RecentBars: 1, BaselineBars: 3, VolumeScale: 0.25);
        var rising = Bars((100, 10), (101, 10), (100, 10), (102, 20));   // ln(20/10) = 0.693
        var falling = Bars((100, 10), (101, 10), (100, 10), (102, 5));
        var asOf = T0.AddDays(4);
        var up = RelativeVolumeSentiment.Compute(0.5, rising, asOf, o)!;
        Assert.Equal(Math.Log(2), up.VolumeChange, 12);
        Assert.Equal(0.5 * Math.Tanh(Math.Log(2) / 0.25), up.Rvs, 12);
        Assert.True(up.VolumeAgrees);
        Assert.False(RelativeVolumeSentiment.Compute(0.5, falling, asOf, o)!.VolumeAgrees);   // bullish text, fading volume: cash
        Assert.True(RelativeVolumeSentiment.Compute(-0.5, falling, asOf, o)!.VolumeAgrees);   // bearish text, fading volume
        Assert.False(RelativeVolumeSentiment.Compute(-0.5, rising, asOf, o)!.VolumeAgrees);
    }

    [Fact]
    public void A_bar_still_open_at_the_decision_time_is_not_read()
    {
        var o = new VolumeSentimentOptions(RecentBars: 1, BaselineBars: 3);
        var bars = Bars((100, 10), (101, 10), (100, 10), (102, 20), (90, 1000));
        var asOf = T0.AddDays(4).AddHours(12); // the fifth bar closes at day 5
        var s = RelativeVolumeSentiment.Compute(0.3, bars, asOf, o)!;
        Assert.Equal(Math.Log(2), s.VolumeChange, 12);
        Assert.Null(RelativeVolumeSentiment.Compute(0.3, bars, T0.AddDays(3), o)); // three closed bars: too few
        Assert.Null(RelativeVolumeSentiment.Compute(double.NaN, bars, asOf, o));
    }

    [Fact]
    public void Divergence_is_sentiment_minus_the_prices_own_tone()
    {
        var o = new VolumeSentimentOptions(RecentBars: 1, BaselineBars: 2, PriceBars: 1);
        var bars = Bars((100, 10), (101, 10), (99, 10), (100, 10), (90, 10));
        var s = RelativeVolumeSentiment.Compute(0.6, bars, T0.AddDays(5), o)!;
        var returns = new[] { Math.Log(101 / 100.0), Math.Log(99 / 101.0), Math.Log(100 / 99.0), Math.Log(90 / 100.0) };
        var mean = returns.Average();
        var sd = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1));
        var tone = Math.Tanh(Math.Log(0.9) / sd);
        Assert.Equal(tone, s.PriceTone, 12);
        Assert.Equal(0.6 - tone, s.Divergence, 12);
        Assert.True(s.Divergence > 0.6); // bullish text into a falling tape
    }
}
