using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Metrics;
using AgentFirm.Quant.Strategies;
using static AgentFirm.Quant.Tests.Backtest.TestMarket;

namespace AgentFirm.Quant.Tests.Backtest;

public sealed class BuyAndHoldTests
{
    [Fact]
    public async Task Buy_and_hold_return_equals_the_price_ratio_minus_costs()
    {
        var bars = Daily((100, 100, 100, 100, 1e9), (100, 100, 100, 100, 1e9), (130, 130, 130, 130, 1e9), (150, 150, 150, 150, 1e9));
        var costs = new CostModel { TakerFeeBps = 10, SpreadBps = 4, SlippageBps = 1, ImpactBps = 0 };

        var result = await Run(new BacktestOptions { Costs = costs }, new BuyAndHold(), Series("BTC-USDT", bars));

        // 99% of equity at the first close (100), filled at the next open plus 3 bp (half spread + slippage), fee 10 bp.
        var quantity = 0.99 * 100_000 / 100;
        var price = 100 * (1 + 3 / 10_000.0);
        var expected = 100_000 - quantity * price * (1 + 10 / 10_000.0) + quantity * 150;
        Assert.Equal(expected, result.FinalEquity, 1e-6);
        var metrics = PerformanceMetrics.From(result);
        Assert.Equal(expected / 100_000 - 1, metrics.TotalReturn, 1e-12);
        // Without costs it is exactly the price ratio on the invested share.
        var free = await Run(new BacktestOptions { Costs = CostModel.Free }, new BuyAndHold(), Series("BTC-USDT", bars));
        Assert.Equal(0.99 * (150.0 / 100 - 1), PerformanceMetrics.From(free).TotalReturn, 1e-12);
    }

    [Fact]
    public async Task Sma_cross_goes_long_after_the_fast_average_crosses_above_and_exits_after_it_crosses_below()
    {
        var closes = new double[] { 10, 10, 10, 10, 11, 12, 13, 14, 13, 11, 9, 8, 7, 7 };
        var bars = Daily(closes.Select(c => (c, c, c, c, 1e9)).ToArray());

        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, new SmaCross(2, 4), Series("BTC-USDT", bars));

        // fast(2) > slow(4) first at the close of day 4 (11 > 10.25): buy fills at day 5's open (12).
        Assert.Equal(12, result.Fills[0].Price);
        Assert.Equal(bars[5].CloseTime, result.Fills[0].Time);
        // fast < slow first at day 9 (12 < 12.75): the sell fills at day 10's open (9).
        Assert.Equal(9, result.Fills[1].Price);
        Assert.Equal(0, result.FinalPositions["BTC-USDT"], 1e-9);
    }
}
