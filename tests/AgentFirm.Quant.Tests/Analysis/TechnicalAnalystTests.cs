using AgentFirm.Core;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Tests.Indicators;

namespace AgentFirm.Quant.Tests.Analysis;

public class TechnicalAnalystTests
{
    private static Bar[] Trend(int count, double drift, int seed)
    {
        // A clean trend: closes move by `drift` (as a fraction) every bar with a little noise, never reversing.
        var rng = new Random(seed);
        var bars = new Bar[count];
        var price = 100.0;
        for (var i = 0; i < count; i++)
        {
            var open = price;
            price *= 1 + drift * (0.5 + rng.NextDouble());
            bars[i] = new Bar(TestBars.T0.AddHours(i), TimeSpan.FromHours(1), open, Math.Max(open, price) * 1.001, Math.Min(open, price) * 0.999, price, 100);
        }
        return bars;
    }

    private static AgentView Last(Bar[] bars, string symbol = "BTC-USDT")
    {
        var analyst = new TechnicalAnalyst();
        foreach (var bar in bars) analyst.Update(symbol, bar);
        return analyst.View(symbol, bars[^1].CloseTime);
    }

    [Fact]
    public void Clean_uptrend_is_long_and_downtrend_is_short()
    {
        var up = Last(Trend(200, 0.004, 1));
        var down = Last(Trend(200, -0.004, 2));
        Assert.True(up.Direction > 0.1, $"uptrend direction {up.Direction}");
        Assert.True(down.Direction < -0.1, $"downtrend direction {down.Direction}");
        Assert.True(up.Confidence > 0 && down.Confidence > 0);
        Assert.Equal("technical", up.Agent);
        Assert.Equal("BTC-USDT", up.Symbol);
        Assert.Equal(TimeSpan.FromHours(24), up.Horizon);
    }

    [Fact]
    public void Warm_up_gives_a_neutral_view_with_zero_confidence()
    {
        var bars = Trend(40, 0.004, 3);
        var analyst = new TechnicalAnalyst();
        Assert.Equal(0, analyst.View("BTC-USDT", bars[0].Time).Confidence); // never seen
        for (var t = 0; t < bars.Length; t++)
        {
            analyst.Update("BTC-USDT", bars[t]);
            var view = analyst.View("BTC-USDT", bars[t].CloseTime);
            if (t + 1 < TechnicalAnalyst.WarmUpPeriod)
            {
                Assert.Equal(0, view.Confidence);
                Assert.Equal(0, view.Direction);
                Assert.Empty(view.Evidence);
                Assert.False(analyst.TryRead("BTC-USDT", out _));
            }
            else
            {
                Assert.True(view.Confidence > 0, $"bar {t + 1}: still no confidence in a clean trend");
                Assert.True(analyst.TryRead("BTC-USDT", out _));
            }
        }
    }

    [Fact]
    public void Direction_and_confidence_stay_in_range_on_random_bars()
    {
        var analyst = new TechnicalAnalyst();
        foreach (var seed in new[] { 31, 32, 33 })
        {
            var symbol = $"S{seed}";
            foreach (var bar in TestBars.Random(3_000, seed, start: seed * 100))
            {
                analyst.Update(symbol, bar);
                var view = analyst.View(symbol, bar.CloseTime);
                Assert.InRange(view.Direction, -1, 1);
                Assert.InRange(view.Confidence, 0, 1);
                Assert.All(view.Evidence, e => Assert.True(double.IsFinite(e.Value), $"{e.Name} = {e.Value}"));
                Assert.False(string.IsNullOrWhiteSpace(view.Rationale));
            }
        }
    }

    [SkippableFact]
    public void Direction_and_confidence_stay_in_range_over_real_hourly_btc()
    {
        var bars = TestBars.RealBtcHourly();
        var analyst = new TechnicalAnalyst();
        int longs = 0, shorts = 0;
        foreach (var bar in bars)
        {
            analyst.Update("BTC-USDT", bar);
            if (!analyst.TryRead("BTC-USDT", out var r)) continue;
            Assert.InRange(r.Direction, -1, 1);
            Assert.InRange(r.Confidence, 0, 1);
            if (r.Direction > 0.1) longs++;
            else if (r.Direction < -0.1) shorts++;
        }
        // Eight years of BTC hold both regimes: the analyst must not be stuck on one side.
        Assert.True(longs > bars.Length / 10 && shorts > bars.Length / 10, $"longs {longs}, shorts {shorts} of {bars.Length}");
    }

    [Fact]
    public void Flat_market_gives_no_direction_and_no_nan()
    {
        var analyst = new TechnicalAnalyst();
        for (var i = 0; i < 60; i++)
            analyst.Update("X", new Bar(TestBars.T0.AddHours(i), TimeSpan.FromHours(1), 10, 10, 10, 10, 0));
        var view = analyst.View("X", TestBars.T0.AddHours(60));
        Assert.Equal(0, view.Direction);
        Assert.Equal(0, view.Confidence);
    }

    [Fact]
    public void Evidence_names_the_indicator_values_used()
    {
        var bars = Trend(100, 0.003, 4);
        var view = Last(bars);
        Assert.Equal(["close", "sma20", "atr14", "macd_hist", "rsi14", "bb_percent_b", "momentum20", "momentum_view", "mean_reversion_view"],
            view.Evidence.Select(e => e.Name));
        Assert.Equal(bars[^1].Close, view.Evidence[0].Value);
        Assert.Equal(Naive.Sma(bars, 20), view.Evidence[1].Value, 9);
        Assert.Equal(Naive.Rsi(bars, 14), view.Evidence[4].Value, 9);
        Assert.Equal(Naive.Macd(bars).Histogram, view.Evidence[3].Value, 9);
        Assert.Equal(bars[^1].Close / bars[^21].Close - 1, view.Evidence[6].Value, 12);
        Assert.Contains("Uptrend", view.Rationale);
    }

    [Fact]
    public void A_view_before_a_bar_it_has_seen_is_refused()
    {
        var bars = Trend(50, 0.003, 5);
        var analyst = new TechnicalAnalyst();
        foreach (var bar in bars) analyst.Update("BTC-USDT", bar);
        // bars[^1] closes at its Time + 1h: a decision at its open time cannot know it.
        Assert.Throws<LookaheadException>(() => analyst.View("BTC-USDT", bars[^1].Time));
        Assert.Throws<ArgumentException>(() => analyst.Update("BTC-USDT", bars[0]));
    }

    [Fact]
    public void Symbols_are_independent()
    {
        var a = Trend(80, 0.004, 6);
        var b = Trend(80, -0.004, 7);
        var both = new TechnicalAnalyst();
        for (var i = 0; i < 80; i++)
        {
            both.Update("A", a[i]);
            both.Update("B", b[i]);
        }
        var asOf = a[^1].CloseTime;
        Assert.Equal(Last(a, "A").Direction, both.View("A", asOf).Direction);
        Assert.Equal(Last(b, "B").Direction, both.View("B", asOf).Direction);
    }

    [Fact]
    public void Confidence_grows_with_agreement()
    {
        // Same momentum; in one case the oscillators are calm (no disagreement), in the other they fade it hard.
        var calm = TechnicalAnalyst.Score(close: 102, sma20: 100, atr14: 1, macdHistogram: 0.2, rsi14: 60, percentB: 0.6, change20: 3);
        var stretched = TechnicalAnalyst.Score(close: 102, sma20: 100, atr14: 1, macdHistogram: 0.2, rsi14: 85, percentB: 1.2, change20: 3);
        // Mixed: trend and 20-bar change up, MACD histogram turning down, oscillators stretched: signals split.
        var mixed = TechnicalAnalyst.Score(close: 102, sma20: 100, atr14: 1, macdHistogram: -0.5, rsi14: 85, percentB: 1.2, change20: 3);
        Assert.True(calm.Confidence > stretched.Confidence, $"{calm.Confidence} vs {stretched.Confidence}");
        Assert.True(stretched.Confidence > mixed.Confidence, $"{stretched.Confidence} vs {mixed.Confidence}");
        Assert.True(calm.Direction > 0);
        var bothOversold = TechnicalAnalyst.Score(close: 95, sma20: 100, atr14: 1, macdHistogram: 0, rsi14: 10, percentB: -0.2, change20: 0);
        Assert.True(bothOversold.MeanReversion > 0.5 && bothOversold.Momentum < 0);
    }
}
