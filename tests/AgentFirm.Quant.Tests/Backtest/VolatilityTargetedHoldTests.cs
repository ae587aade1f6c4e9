using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Strategies;
using static AgentFirm.Quant.Tests.Backtest.TestMarket;

namespace AgentFirm.Quant.Tests.Backtest;

public sealed class VolatilityTargetedHoldTests
{
    /// <summary>Closes whose log returns alternate +a, -a: over an even window the mean is 0 and the sample deviation a sqrt(n/(n-1)).</summary>
    private static Bar[] Zigzag(int count, double a, double start = 100)
    {
        var closes = new double[count];
        closes[0] = start;
        for (var i = 1; i < count; i++) closes[i] = closes[i - 1] * Math.Exp(i % 2 == 1 ? a : -a);
        return Daily(closes.Select((c, i) => (i == 0 ? c : closes[i - 1], Math.Max(c, i == 0 ? c : closes[i - 1]), Math.Min(c, i == 0 ? c : closes[i - 1]), c, 1e12)).ToArray());
    }

    [Fact]
    public async Task Holds_the_target_volatility_over_the_assets_realised_volatility()
    {
        var bars = Zigzag(40, 0.02);
        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, new VolatilityTargetedHold(target: 0.20, lookback: 30), Series("BTC-USDT", bars));

        // First decision with 30 returns: the close of bar 30. sigma = 0.02 sqrt(30/29) sqrt(365) = 0.38864.
        var sigma = 0.02 * Math.Sqrt(30.0 / 29) * Math.Sqrt(365);
        Assert.Equal(0.38864, sigma, 1e-5);
        var weight = 0.20 / sigma;
        var first = result.Fills[0];
        Assert.Equal(bars[31].CloseTime, first.Time);
        Assert.Equal(weight * 100_000 / bars[30].Close, first.Quantity, 1e-6);
        // The zigzag's volatility never changes, so the position stays inside its band: one trade only.
        Assert.Single(result.Fills);
    }

    [Fact]
    public async Task Splits_the_target_across_assets_and_caps_gross_exposure()
    {
        var calm = Zigzag(40, 0.001);   // raw weight 0.1 / 0.0194 = 5.1x: far beyond the cap
        var wild = Zigzag(40, 0.04, 10);  // raw weight 0.1 / 0.777 = 0.129
        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, new VolatilityTargetedHold(target: 0.20, lookback: 30),
            Series("BTC-USDT", calm), Series("ETH-USDT", wild));

        double Sigma(double a) => a * Math.Sqrt(30.0 / 29) * Math.Sqrt(365);
        var raw = new[] { 0.1 / Sigma(0.001), 0.1 / Sigma(0.04) };
        var scale = 0.99 / raw.Sum();
        var btc = result.Fills.Single(f => f.Symbol == "BTC-USDT");
        var eth = result.Fills.Single(f => f.Symbol == "ETH-USDT");
        Assert.Equal(raw[0] * scale * 100_000 / calm[30].Close, btc.Quantity, 1e-6);
        Assert.Equal(raw[1] * scale * 100_000 / wild[30].Close, eth.Quantity, 1e-6);
        Assert.True(btc.Notional / 100_000 + eth.Notional / 100_000 <= 0.995);
    }

    [Fact]
    public async Task Rebalances_when_volatility_moves_the_target_out_of_the_band()
    {
        var quiet = Zigzag(40, 0.01);
        var loud = Zigzag(40, 0.04, quiet[^1].Close);
        var bars = quiet.Concat(loud.Select((b, i) => b with { Time = quiet[^1].Time.AddDays(1 + i) })).ToArray();

        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, new VolatilityTargetedHold(target: 0.20, lookback: 30), Series("BTC-USDT", bars));

        Assert.True(result.Fills.Count >= 2);
        Assert.Contains(result.Fills, f => f.Side == OrderSide.Sell); // four times the volatility: the position is cut
    }

    [Fact]
    public async Task Does_nothing_during_warm_up_and_is_ready_at_once_after_it()
    {
        var bars = Zigzag(60, 0.02);
        var result = await Run(new BacktestOptions { Costs = CostModel.Free, TradeFrom = bars[40].Time }, new VolatilityTargetedHold(target: 0.20, lookback: 30), Series("BTC-USDT", bars));

        Assert.Equal(0, result.Warmup.SuppressedOrders);
        Assert.Equal(bars[41].CloseTime, result.Fills[0].Time);
    }

    [Fact]
    public void The_catalog_builds_it_from_parameters()
    {
        var strategy = StrategyCatalog.Create("voltarget", new Dictionary<string, string> { ["target"] = "0.3", ["lookback"] = "20" });
        Assert.Equal("voltarget(0.3,20)", strategy.Name);
        Assert.Throws<BadInputException>(() => StrategyCatalog.Create("voltarget", new Dictionary<string, string> { ["target"] = "-1" }));
    }
}
