using AgentFirm.Core;
using AgentFirm.Quant.Sizing;

namespace AgentFirm.Quant.Tests.Sizing;

public sealed class ConvictionSizerTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Feeds closes whose daily log returns alternate ±r (sample sd = r·sqrt(n/(n-1)) over an even window).</summary>
    private static void Feed(ConvictionSizer sizer, string symbol, double r, int days, int phase = 0)
    {
        var close = 100.0;
        sizer.Update(symbol, close);
        for (var d = 0; d < days; d++)
        {
            close *= Math.Exp((d + phase) % 2 == 0 ? r : -r);
            sizer.Update(symbol, close);
        }
    }

    private static readonly IReadOnlyDictionary<string, double> Flat = new Dictionary<string, double>();

    [Fact]
    public void Book_volatility_at_full_conviction_is_the_target_given_the_correlation()
    {
        var options = new TacticalOptions { TargetVolatility = 0.2, FullConvictionEdge = 0.1, CostBps = 0 };
        var sizer = new ConvictionSizer(options, Timeframe.Day, oneWayCostBps: 0);
        Feed(sizer, "BTC-USDT-PERP", 0.03, 120);
        Feed(sizer, "ETH-USDT-PERP", 0.04, 120); // the same path scaled: correlation one
        var targets = sizer.Size([new EdgeSignal("BTC-USDT-PERP", 0.6, Day, true), new EdgeSignal("ETH-USDT-PERP", 0.6, Day, true)], 1.0, Flat);

        var volBtc = sizer.Volatility("BTC-USDT-PERP")!.Value;
        var volEth = sizer.Volatility("ETH-USDT-PERP")!.Value;
        // Perfectly correlated: book vol = w1 σ1 + w2 σ2, which full conviction puts at the target, split equally in risk.
        var bookVol = targets[0].TargetWeight * volBtc + targets[1].TargetWeight * volEth;
        Assert.Equal(0.2, bookVol, 6);
        Assert.Equal(targets[0].TargetWeight * volBtc, targets[1].TargetWeight * volEth, 9);
    }

    [Fact]
    public void Uncorrelated_assets_get_more_each_than_correlated_ones()
    {
        // Windows that are multiples of the 4-day pattern below, so the sample correlation is exactly zero.
        var options = new TacticalOptions { CostBps = 0, VolatilityWindow = 40, CorrelationWindow = 80 };
        var correlated = new ConvictionSizer(options, Timeframe.Day, 0);
        Feed(correlated, "A-USDT-PERP", 0.03, 120);
        Feed(correlated, "B-USDT-PERP", 0.03, 120);
        var independent = new ConvictionSizer(options, Timeframe.Day, 0);
        Feed(independent, "A-USDT-PERP", 0.03, 120);
        // Returns that agree on half of the days and disagree on the other half: correlation zero.
        var close = 100.0;
        independent.Update("B-USDT-PERP", close);
        for (var d = 0; d < 120; d++) { close *= Math.Exp(d % 4 is 0 or 3 ? 0.03 : -0.03); independent.Update("B-USDT-PERP", close); }

        EdgeSignal[] signals = [new("A-USDT-PERP", 0.6, Day, true), new("B-USDT-PERP", 0.6, Day, true)];
        var together = correlated.Size(signals, 1, Flat)[0].TargetWeight;
        var apart = independent.Size(signals, 1, Flat)[0].TargetWeight;
        Assert.Equal(Math.Sqrt(2), apart / together, 2); // book vol sqrt(2) w σ instead of 2 w σ
    }

    [Fact]
    public void A_bearish_call_on_spot_is_held_as_flat_and_says_why()
    {
        var sizer = new ConvictionSizer(new TacticalOptions(), Timeframe.Day, 11);
        Feed(sizer, "BTC-USDT", 0.03, 60);
        var target = sizer.Size([new EdgeSignal("BTC-USDT", 0.3, Day, CanShort: false)], 1, new Dictionary<string, double> { ["BTC-USDT"] = 0.2 })[0];
        Assert.Equal(0, target.TargetWeight);
        Assert.True(target.Trade); // the long that is held is closed
        Assert.Contains("long-only", target.Reason);
    }

    [Fact]
    public void An_edge_that_does_not_pay_the_round_trip_is_not_traded()
    {
        var sizer = new ConvictionSizer(new TacticalOptions(), Timeframe.Day, oneWayCostBps: 11);
        Feed(sizer, "BTC-USDT", 0.03, 60);
        // Expected move = σ_day Φ⁻¹(p): with σ ≈ 3% a day, p = 0.502 moves about 1.5 bp, far below the 22 bp round trip.
        var weak = sizer.Size([new EdgeSignal("BTC-USDT", 0.502, Day, false)], 1, Flat)[0];
        Assert.Equal(0, weak.TargetWeight);
        Assert.Contains("round trip", weak.Reason);
        var strong = sizer.Size([new EdgeSignal("BTC-USDT", 0.58, Day, false)], 1, Flat)[0];
        Assert.True(strong.TargetWeight > 0 && strong.Trade);
    }

    [Fact]
    public void A_small_resize_inside_the_cost_band_is_not_traded_but_a_large_one_is()
    {
        var sizer = new ConvictionSizer(new TacticalOptions(), Timeframe.Day, oneWayCostBps: 11);
        Feed(sizer, "BTC-USDT", 0.03, 60);
        var fresh = sizer.Size([new EdgeSignal("BTC-USDT", 0.56, Day, false)], 1, Flat)[0];
        Assert.True(fresh.Trade);
        var w = fresh.TargetWeight;

        // Band = 2c|w*|/μ with μ = σ_day Φ⁻¹(0.56): holding 90% of the target is inside it; holding 10% is not.
        var near = sizer.Size([new EdgeSignal("BTC-USDT", 0.56, Day, false)], 1, new Dictionary<string, double> { ["BTC-USDT"] = 0.9 * w })[0];
        var far = sizer.Size([new EdgeSignal("BTC-USDT", 0.56, Day, false)], 1, new Dictionary<string, double> { ["BTC-USDT"] = 0.1 * w })[0];
        Assert.False(near.Trade);
        Assert.Contains("no-trade band", near.Reason);
        Assert.True(far.Trade);
    }

    [Fact]
    public void Kelly_sizing_never_exceeds_the_volatility_target()
    {
        var sizer = new ConvictionSizer(new TacticalOptions { Method = SizingMethod.Kelly, KellyFraction = 1.0, TargetVolatility = 0.2 }, Timeframe.Day, 0);
        Feed(sizer, "BTC-USDT-PERP", 0.03, 120);
        var target = sizer.Size([new EdgeSignal("BTC-USDT-PERP", 0.7, Day, true)], 1, Flat)[0];
        var vol = sizer.Volatility("BTC-USDT-PERP")!.Value;
        Assert.Equal(0.2, Math.Abs(target.TargetWeight) * vol, 6); // full Kelly on a 70% call would be far more: capped
    }
}
