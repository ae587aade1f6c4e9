using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using static AgentFirm.Quant.Tests.Backtest.TestMarket;

namespace AgentFirm.Quant.Tests.Backtest;

public sealed class LookaheadTests
{
    [Fact]
    public async Task A_strategy_that_tries_to_read_the_next_bar_gets_nothing()
    {
        var bars = Daily((100, 101, 99, 100, 10), (200, 201, 199, 200, 10), (300, 301, 299, 300, 10));
        var attempts = 0;
        var strategy = new ScriptedStrategy((step, ctx) =>
        {
            var series = ctx.Bars("BTC-USDT");
            Assert.Equal(step + 1, series.Count);
            Assert.True(series.Latest.CloseTime <= ctx.Now);
            Assert.False(series.TryGet(series.Count, out _));
            Assert.Throws<LookaheadException>(() => series[series.Count]);
            Assert.Equal(step + 1, series.AsSpan().Length);
            attempts++;
        });

        await Run(new BacktestOptions(), strategy, Series("BTC-USDT", bars));

        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task With_two_assets_a_later_bar_of_one_is_invisible_while_the_other_decides()
    {
        // ETH has a gap: at the decision after BTC's second bar, ETH's next bar is not yet closed.
        var btc = Daily((100, 100, 100, 100, 10), (101, 101, 101, 101, 10), (102, 102, 102, 102, 10));
        var eth = new[] { btc[0] with { Open = 10, High = 10, Low = 10, Close = 10 }, btc[2] with { Open = 12, High = 12, Low = 12, Close = 12 } };
        var seen = new List<(int Step, int EthCount, IReadOnlyList<string> Updated)>();
        var strategy = new ScriptedStrategy((step, ctx) => seen.Add((step, ctx.Bars("ETH-USDT").Count, ctx.Updated.ToList())));

        await Run(new BacktestOptions(), strategy, Series("BTC-USDT", btc), Series("ETH-USDT", eth));

        Assert.Equal([1, 1, 2], seen.Select(s => s.EthCount));
        Assert.Equal(["BTC-USDT"], seen[1].Updated);
    }

    [Fact]
    public void As_of_series_hides_items_until_the_clock_reaches_their_knowledge_time()
    {
        var clock = new SimulationClock(T0);
        var bars = Daily((1, 1, 1, 1, 1), (2, 2, 2, 2, 1));
        var series = AsOfSeries<Bar>.FromBars(bars, clock);

        Assert.Equal(0, series.Count); // the first daily bar is known only at its close
        clock.AdvanceTo(T0.AddDays(1));
        Assert.Equal(1, series.Latest.Close);
        Assert.Throws<LookaheadException>(() => series[1]);
        clock.AdvanceTo(T0.AddDays(2));
        Assert.Equal(2, series.Latest.Close);
        Assert.Throws<InvalidOperationException>(() => clock.AdvanceTo(T0));
    }
}
