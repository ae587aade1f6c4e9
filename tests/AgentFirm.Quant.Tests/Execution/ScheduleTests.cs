using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;
using static AgentFirm.Quant.Tests.Execution.ExecutionMarket;

namespace AgentFirm.Quant.Tests.Execution;

public sealed class ScheduleTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly VenueModel FreeVenue = new() { Costs = CostModel.Free, ParticipationCap = 1, QueueAheadShare = 0 };

    [Fact]
    public void Twap_trades_the_same_share_on_every_step_when_volume_allows()
    {
        var bars = Flat(Day0, Minute, 100, Enumerable.Repeat(1_000.0, 10).ToArray());
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 8, Day0.AddMinutes(2), 100, TimeSpan.FromMinutes(4));

        var result = new ParentOrderSimulator(FreeVenue).Work(parent, bars, new Twap());

        Assert.Equal(4, result.Steps);
        Assert.Equal([Day0.AddMinutes(2), Day0.AddMinutes(3), Day0.AddMinutes(4), Day0.AddMinutes(5)], result.Fills.Select(f => f.BarTime));
        Assert.All(result.Fills, f => Assert.Equal(2, f.Quantity, 12));
    }

    [Fact]
    public void Twap_catches_up_on_the_next_step_what_the_participation_cap_held_back()
    {
        // Step volumes 10, 100, 100, 100 with a 10% cap: the first step can take only 1 of its 2.5.
        var bars = Flat(Day0, Minute, 100, 10, 100, 100, 100);
        var parent = new ParentOrder("BTC-USDT", OrderSide.Sell, 10, Day0, 100, TimeSpan.FromMinutes(4));

        var result = new ParentOrderSimulator(FreeVenue with { ParticipationCap = 0.1 }).Work(parent, bars, new Twap());

        // targets 2.5, 5, 7.5, 10 -> fills 1, 4, 2.5, 2.5
        Assert.Equal([1, 4, 2.5, 2.5], result.Fills.Select(f => Math.Round(f.Quantity, 9)));
        Assert.Equal(10, result.Shortfall.FilledQuantity, 9);
    }

    [Fact]
    public void Vwap_follows_the_profile_of_past_days_and_ignores_the_decision_day()
    {
        var hour = TimeSpan.FromHours(1);
        // Two past days: 75% of the volume in hour 0 and 25% in hour 1 (other hours empty); on the decision day the
        // already-closed hours 0 and 1 show the opposite, which must not leak into the profile.
        var bars = new List<Bar>();
        for (var d = 0; d < 2; d++)
            for (var h = 0; h < 24; h++)
                bars.Add(new Bar(Day0.AddDays(d).AddHours(h), hour, 100, 100, 100, 100, h == 0 ? 300 * (d + 1) : h == 1 ? 100 * (d + 1) : 0));
        bars.Add(new Bar(Day0.AddDays(2), hour, 100, 100, 100, 100, 10));
        bars.Add(new Bar(Day0.AddDays(2).AddHours(1), hour, 100, 100, 100, 100, 1_000));
        for (var h = 2; h < 48; h++) bars.Add(new Bar(Day0.AddDays(2).AddHours(h), hour, 100, 100, 100, 100, 1_000));
        var vwap = new Vwap(lookbackDays: 5);
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 4, Day0.AddDays(2).AddHours(2), 100, TimeSpan.FromDays(1));

        var result = new ParentOrderSimulator(FreeVenue).Work(parent, bars.ToArray(), vwap);

        Assert.Equal(2, vwap.Profile!.Days);
        Assert.Equal(0.75, vwap.Profile.Share(Day0.AddHours(24 * 9)), 12);
        Assert.Equal(0.25, vwap.Profile.Share(Day0.AddHours(1)), 12);
        // From 02:00 the steps run to 01:00 next day: nothing until hour 0 (75%), the rest at hour 1.
        Assert.Equal(24, result.Steps);
        Assert.Equal(0, vwap.Target[21], 12);
        Assert.Equal(0.75, vwap.Target[22], 12);
        Assert.Equal(1, vwap.Target[23], 12);
        Assert.Equal([Day0.AddDays(3), Day0.AddDays(3).AddHours(1)], result.Fills.Select(f => f.BarTime));
        Assert.Equal([3.0, 1.0], result.Fills.Select(f => Math.Round(f.Quantity, 9)));
    }

    [Fact]
    public void Vwap_without_past_days_falls_back_to_twap_and_says_so()
    {
        var bars = Flat(Day0, Minute, 100, 1, 2, 3, 4);
        var vwap = new Vwap();
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 4, Day0, 100, TimeSpan.FromMinutes(4));

        new ParentOrderSimulator(FreeVenue).Work(parent, bars, vwap);

        Assert.True(vwap.Profile!.IsFallback);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], vwap.Target);
    }

    [Fact]
    public void Market_child_pays_half_spread_and_square_root_impact_of_its_sub_step_participation()
    {
        var costs = new CostModel { TakerFeeBps = 10, SpreadBps = 4, SlippageBps = 0, ImpactBps = 50 };
        var bars = Flat(Day0, Minute, 100, 400);
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 16, Day0, 100, Minute);

        var fill = new ParentOrderSimulator(new VenueModel { Costs = costs, ParticipationCap = 1 }).Work(parent, bars, new MarketNow()).Fills.Single();

        // 16 of 400 is 4% participation: 2 bps half spread + 50 x sqrt(0.04) = 10 bps impact.
        Assert.Equal(100 * (1 + 12 / 10_000.0), fill.Price, 12);
        Assert.Equal(16 * fill.Price * 0.001, fill.Fee, 12);
        Assert.Equal(16 * 100 * 12 / 10_000.0, fill.ImpactCost, 9);
    }

    [Fact]
    public void Study_parents_are_sized_from_the_day_before_and_stop_where_the_data_ends()
    {
        // Two days of minute bars with volume 10: a day of them (14,400) sizes one-hour parents at 5% -> 0.05 x 10 x 60 = 30.
        var bars = Flat(Day0, Minute, 100, Enumerable.Repeat(10.0, 2 * 1440).ToArray());
        var spec = new StudySpec(Day0, Day0.AddDays(5), TimeSpan.FromHours(6), TimeSpan.FromHours(1), 0.05, 3);

        var parents = ExecutionStudy.Parents(bars, "BTC-USDT", spec);

        // Decisions at 00:00 of day 0 lack a day of history; days 1 at 00, 06, 12, 18 have it; day 2 on has no bars.
        Assert.Equal([Day0.AddDays(1), Day0.AddDays(1).AddHours(6), Day0.AddDays(1).AddHours(12), Day0.AddDays(1).AddHours(18)], parents.Select(p => p.DecisionTime));
        Assert.All(parents, p => Assert.Equal(30, p.Quantity, 9));
    }
}

