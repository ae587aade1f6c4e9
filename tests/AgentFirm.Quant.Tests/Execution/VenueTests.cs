using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;
using static AgentFirm.Quant.Tests.Execution.ExecutionMarket;

namespace AgentFirm.Quant.Tests.Execution;

public sealed class VenueTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>No fees, no spread: a passive buy rests exactly at the last close.</summary>
    private static readonly VenueModel Venue = new() { Costs = CostModel.Free, ParticipationCap = 1, QueueAheadShare = 0.5, RecentSteps = 2 };

    [Fact]
    public void A_resting_limit_never_fills_when_the_market_only_touches_its_price()
    {
        // History closes at 100 (the bid), then three big bars whose low is exactly 100.
        var bars = new[]
        {
            At(Day0, Minute, 100, 100, 100, 100, 100),
            At(Day0.AddMinutes(1), Minute, 100, 100, 100, 100, 100),
            At(Day0.AddMinutes(2), Minute, 101, 102, 100, 100, 1e6),
            At(Day0.AddMinutes(3), Minute, 100, 103, 100, 100, 1e6),
            At(Day0.AddMinutes(4), Minute, 101, 101, 100, 100, 1e6),
        };
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 1, Day0.AddMinutes(2), 100, TimeSpan.FromMinutes(3));

        var result = new ParentOrderSimulator(Venue).Work(parent, bars, new LimitPeg(timeoutSteps: 10, repegBps: 1_000));

        Assert.Empty(result.Fills);
        Assert.Equal(1, result.Shortfall.UnfilledQuantity, 12);
    }

    [Fact]
    public void A_resting_limit_fills_only_after_the_volume_through_its_price_has_cleared_the_queue_ahead()
    {
        // Typical volume 100 -> 50 rest ahead (share 0.5). Each following bar ranges 99..103 with volume 100, so a
        // quarter of it (25) trades below the bid at 100: two bars clear the queue, the third fills 25.
        var bars = new List<Bar> { At(Day0, Minute, 100, 100, 100, 100, 100), At(Day0.AddMinutes(1), Minute, 100, 100, 100, 100, 100) };
        for (var k = 2; k < 6; k++) bars.Add(At(Day0.AddMinutes(k), Minute, 100, 103, 99, 100, 100));
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 30, Day0.AddMinutes(2), 100, TimeSpan.FromMinutes(4));

        var result = new ParentOrderSimulator(Venue).Work(parent, bars.ToArray(), new LimitPeg(timeoutSteps: 10, repegBps: 1_000));

        Assert.Equal([Day0.AddMinutes(4), Day0.AddMinutes(5)], result.Fills.Select(f => f.BarTime));
        Assert.Equal([25.0, 5.0], result.Fills.Select(f => f.Quantity));
        Assert.All(result.Fills, f => Assert.True(f.IsMaker && f.Price == 100));
    }

    [Fact]
    public void Limit_peg_falls_back_to_market_for_what_is_left_at_its_timeout()
    {
        var bars = Flat(Day0, Minute, 100, 100, 100, 100, 100, 100);
        var parent = new ParentOrder("BTC-USDT", OrderSide.Sell, 5, Day0.AddMinutes(2), 100, TimeSpan.FromMinutes(3));

        var result = new ParentOrderSimulator(Venue).Work(parent, bars, new LimitPeg(timeoutSteps: 2));

        // Flat bars trade nothing through the ask, so the two passive steps fill nothing; the third crosses.
        var fill = Assert.Single(result.Fills);
        Assert.Equal(Day0.AddMinutes(4), fill.BarTime);
        Assert.False(fill.IsMaker);
        Assert.Equal(5, fill.Quantity, 12);
    }

    [Fact]
    public void A_parent_order_never_trades_before_its_decision_time_nor_sees_a_bar_still_open_then()
    {
        // Decision at 00:02:30, inside the bar that opened at 00:02: that bar neither trades the order nor reaches
        // the algorithm's history; the first step is the bar opening at 00:03.
        var bars = Flat(Day0, Minute, 100, 1e3, 1e3, 1e3, 1e3, 1e3, 1e3);
        var probe = new Probe();
        var decision = Day0.AddMinutes(2).AddSeconds(30);
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 1, decision, 100, TimeSpan.FromMinutes(10));

        var result = new ParentOrderSimulator(Venue).Work(parent, bars, probe);

        Assert.Equal(3, result.Steps);
        Assert.Equal(Day0.AddMinutes(3), probe.Start!.StepTimes[0]);
        Assert.All(probe.Start.History, b => Assert.True(b.CloseTime <= decision));
        Assert.Equal(2, probe.Start.History.Count);
        Assert.All(result.Fills, f => Assert.True(f.BarTime >= decision));
        Assert.Equal(Day0.AddMinutes(3), result.Fills[0].BarTime);
    }

    [Fact]
    public void A_parent_with_no_bar_inside_its_horizon_is_refused()
    {
        var bars = Flat(Day0, Minute, 100, 1, 1);
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 1, Day0.AddMinutes(5), 100, Minute);
        Assert.Throws<ArgumentException>(() => new ParentOrderSimulator(Venue).Work(parent, bars, new Twap()));
    }

    private sealed class Probe : IExecutionAlgorithm
    {
        public ParentStart? Start { get; private set; }
        public string Name => "probe";
        public void Begin(ParentStart start) => Start = start;
        public ChildOrder Next(in ExecutionState state) => ChildOrder.Market(state.Remaining);
    }
}
