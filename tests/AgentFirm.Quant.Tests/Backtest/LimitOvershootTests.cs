using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Reporting;
using static AgentFirm.Quant.Tests.Backtest.TestMarket;

namespace AgentFirm.Quant.Tests.Backtest;

public sealed class LimitOvershootTests
{
    /// <summary>
    /// All in at 100 (1,000 units of 100,000), a day that closes at 80 (drawdown and day's loss 20 %), the exit
    /// sent at that close and filled at the next open, 78 (drawdown 22 %). Worked by hand: against a 15 %
    /// drawdown limit the book went 7 points past it, 5 of them already when the close was seen (no finer data)
    /// and 2 while the exit waited for the next open (latency); against a 5 % daily limit, 15 points past it on
    /// the day that closed at 80, all already at its only observation.
    /// </summary>
    [Fact]
    public async Task Overshoot_splits_what_was_past_the_limit_when_seen_from_what_was_lost_waiting_for_the_exit()
    {
        var bars = Daily((100, 100, 100, 100, 1e6), (100, 100, 100, 100, 1e6), (100, 100, 80, 80, 1e6), (78, 78, 78, 78, 1e6), (78, 78, 78, 78, 1e6));
        var strategy = new ScriptedStrategy((step, ctx) =>
        {
            if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1000);
            if (step == 2) ctx.Submit("BTC-USDT", OrderSide.Sell, 1000);
        });
        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, strategy, Series("BTC-USDT", bars));

        var (drawdown, daily) = LimitOvershoot.Measure(result, 0.15, 0.05) switch { [var a, var b] => (a, b), _ => throw new InvalidOperationException() };

        Assert.Equal(0.22, drawdown.Worst, 1e-12);
        Assert.Equal(0.07, drawdown.Overshoot, 1e-12);
        Assert.Equal(0.05, drawdown.PastLimitWhenSeen, 1e-12);
        Assert.Equal(0.02, drawdown.AfterSeen, 1e-12);
        Assert.Equal(T0.AddDays(3), drawdown.FirstSeenAt);
        Assert.False(drawdown.FinerDataWhenSeen);
        Assert.Equal(LimitOvershoot.MissingFinerData, drawdown.Why);

        Assert.Equal(0.20, daily.Worst, 1e-12);
        Assert.Equal(0.15, daily.Overshoot, 1e-12);
        Assert.Equal(0, daily.AfterSeen, 1e-12);
        Assert.Equal(LimitOvershoot.MissingFinerData, daily.Why);
    }

    [Fact]
    public async Task A_book_that_never_reaches_a_limit_reports_no_overshoot()
    {
        var bars = Daily((100, 100, 100, 100, 1e6), (100, 101, 99, 99, 1e6), (99, 99, 98, 98, 1e6));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1000); });
        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, strategy, Series("BTC-USDT", bars));

        Assert.All(LimitOvershoot.Measure(result, 0.15, 0.05), l => Assert.Equal(0, l.Overshoot));
    }
}
