using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Metrics;
using AgentFirm.Quant.Strategies;
using static AgentFirm.Quant.Tests.Backtest.TestMarket;

namespace AgentFirm.Quant.Tests.Backtest;

public sealed class WarmupTests
{
    private static readonly CostModel Costs = new() { TakerFeeBps = 10, SpreadBps = 2, SlippageBps = 1, ImpactBps = 20 };

    /// <summary>A random walk of daily bars with some range and volume, the same for a given seed.</summary>
    private static Bar[] Walk(int count, int seed, double start = 100)
    {
        var random = new Random(seed);
        var bars = new Bar[count];
        var close = start;
        for (var i = 0; i < count; i++)
        {
            var open = close;
            close = open * Math.Exp(0.03 * (random.NextDouble() - 0.48));
            bars[i] = new Bar(T0.AddDays(i), TimeSpan.FromDays(1), open, Math.Max(open, close) * 1.01, Math.Min(open, close) * 0.99, close, 5_000 + 1_000 * random.NextDouble());
        }
        return bars;
    }

    /// <summary>Holds fixed weights, re-targeted every bar: its orders depend on nothing but the account now.</summary>
    private sealed class FixedWeights(params (string Symbol, double Weight)[] weights) : IStrategy
    {
        public string Name => "fixed-weights";

        public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            foreach (var (symbol, weight) in weights) context.RebalanceTo(symbol, weight, tolerance: 0.02);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_strategy_that_trades_every_bar_during_warm_up_trades_nothing_before_trade_from()
    {
        var bars = Walk(40, seed: 1);
        var from = bars[15].Time;
        var sent = 0;
        var strategy = new ScriptedStrategy((_, ctx) => { ctx.Submit("BTC-USDT", OrderSide.Buy, 1); sent++; });

        var result = await Run(new BacktestOptions { Costs = Costs, TradeFrom = from }, strategy, Series("BTC-USDT", bars));

        Assert.Equal(40, sent); // the strategy was called on every bar, warm-up included
        Assert.All(result.Fills, f => Assert.True(f.Time > from, $"a fill at {f.Time:O} is before --from {from:O}"));
        Assert.Equal(15, result.Warmup.SuppressedOrders);
        // The first live decision is at the close of the bar opening at --from; it fills on the bar after.
        Assert.Equal(bars[16].CloseTime, result.Fills[0].Time);
        Assert.Equal(bars[15].CloseTime, result.Curve.Times[0]);
        Assert.Equal(25, result.Curve.Count);
        Assert.Equal(100_000, result.Curve.Equity[0]);
        Assert.DoesNotContain(result.OrderEvents, e => e.Time < from);
    }

    [Fact]
    public async Task Metrics_equal_those_of_a_run_started_at_trade_from()
    {
        var btc = Walk(120, seed: 2);
        var eth = Walk(120, seed: 3, start: 10);
        const int warm = 50;
        var options = new BacktestOptions { Costs = Costs };
        var weights = new[] { ("BTC-USDT", 0.5), ("ETH-USDT", 0.3) };

        var warmed = await Run(options with { TradeFrom = btc[warm].Time }, new FixedWeights(weights), Series("BTC-USDT", btc), Series("ETH-USDT", eth));
        var cold = await Run(options, new FixedWeights(weights), Series("BTC-USDT", btc[warm..]), Series("ETH-USDT", eth[warm..]));
        var warmedHold = await Run(options with { TradeFrom = btc[warm].Time }, new BuyAndHold(), Series("BTC-USDT", btc), Series("ETH-USDT", eth));
        var coldHold = await Run(options, new BuyAndHold(), Series("BTC-USDT", btc[warm..]), Series("ETH-USDT", eth[warm..]));

        Assert.True(cold.Fills.Count > 5, "the comparison needs trades");
        Assert.Equal(cold.Curve.Times, warmed.Curve.Times);
        Assert.Equal(cold.Curve.Equity, warmed.Curve.Equity);
        Assert.Equal(cold.Fills.Select(f => (f.Symbol, f.Side, f.Quantity, f.Price, f.Fee, f.Time)), warmed.Fills.Select(f => (f.Symbol, f.Side, f.Quantity, f.Price, f.Fee, f.Time)));
        Assert.Equal(PerformanceMetrics.From(cold), PerformanceMetrics.From(warmed));
        // Buy-and-hold waits for the warm-up to end, so it is the same benchmark either way.
        Assert.Equal(PerformanceMetrics.From(coldHold), PerformanceMetrics.From(warmedHold));
        Assert.NotEmpty(warmedHold.Fills);
        Assert.Equal(coldHold.Fills.Count, warmedHold.Fills.Count);
    }

    [Fact]
    public async Task Bars_before_trade_from_are_seen_by_the_strategy()
    {
        var bars = Walk(30, seed: 4);
        var seen = new List<(int Known, bool WarmingUp)>();
        var strategy = new ScriptedStrategy((_, ctx) => seen.Add((ctx.Bars("BTC-USDT").Count, ctx.IsWarmingUp)));

        var result = await Run(new BacktestOptions { TradeFrom = bars[10].Time }, strategy, Series("BTC-USDT", bars));

        Assert.Equal(30, seen.Count);
        Assert.All(seen.Take(10), s => Assert.True(s.WarmingUp));
        Assert.All(seen.Skip(10), s => Assert.False(s.WarmingUp));
        Assert.Equal(11, seen[10].Known); // at the first traded decision the ten warm-up bars are history
        Assert.Equal(10, result.Warmup.Steps);
        Assert.Equal(bars[0].Time, result.Warmup.FirstBar);
        Assert.Equal(10, result.Warmup.BarsBySymbol["BTC-USDT"]);
        Assert.Equal(bars[10].Time, result.Warmup.TradeFrom);
    }

    [Fact]
    public async Task A_warmed_up_momentum_strategy_can_act_on_the_first_traded_bar()
    {
        var closes = Enumerable.Range(0, 60).Select(i => 100.0 + i).ToArray(); // a steady uptrend
        var bars = Daily(closes.Select(c => (c, c, c, c, 1e9)).ToArray());
        var from = bars[30].Time;

        var warmed = await Run(new BacktestOptions { Costs = CostModel.Free, TradeFrom = from }, new TimeSeriesMomentum(20), Series("BTC-USDT", bars));
        var cold = await Run(new BacktestOptions { Costs = CostModel.Free }, new TimeSeriesMomentum(20), Series("BTC-USDT", bars[30..]));

        Assert.Equal(bars[31].CloseTime, warmed.Fills[0].Time); // decided at the first traded close
        Assert.Equal(bars[30 + 21].CloseTime, cold.Fills[0].Time); // a cold start waits 20 bars for its lookback
        Assert.True(warmed.Warmup.SuppressedOrders > 0);
    }

    [Fact]
    public async Task Trade_from_before_the_data_is_an_ordinary_run_with_no_warm_up()
    {
        var bars = Walk(20, seed: 5);

        var withFrom = await Run(new BacktestOptions { Costs = Costs, TradeFrom = bars[0].Time.AddDays(-5) }, new BuyAndHold(), Series("BTC-USDT", bars));
        var plain = await Run(new BacktestOptions { Costs = Costs }, new BuyAndHold(), Series("BTC-USDT", bars));

        Assert.Equal(plain.Curve.Equity, withFrom.Curve.Equity);
        Assert.Equal(0, withFrom.Warmup.Steps);
        Assert.Null(withFrom.Warmup.FirstBar);
    }

    [Theory]
    [InlineData("200", 200, WarmupUnit.Bars, "200 bars")]
    [InlineData("200d", 200, WarmupUnit.Days, "200d")]
    [InlineData("500h", 500, WarmupUnit.Hours, "500h")]
    [InlineData("0", 0, WarmupUnit.Bars, "0")]
    [InlineData("30b", 30, WarmupUnit.Bars, "30 bars")]
    public void Warmup_length_parses_bars_days_and_hours(string text, int count, WarmupUnit unit, string shown)
    {
        Assert.True(WarmupLength.TryParse(text, out var length));
        Assert.Equal(new WarmupLength(count, unit), length);
        Assert.Equal(shown, length.ToString());
    }

    [Theory]
    [InlineData("-5d")]
    [InlineData("ten")]
    [InlineData("3w")]
    [InlineData("d")]
    [InlineData("")]
    [InlineData("1.5d")]
    public void Warmup_length_rejects_anything_else(string text) => Assert.False(WarmupLength.TryParse(text, out _));

    [Fact]
    public void Warmup_in_bars_spans_that_many_bars_of_the_timeframe()
    {
        var from = new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(from.AddHours(-200), new WarmupLength(200, WarmupUnit.Bars).StartBefore(from, Timeframe.Hour));
        Assert.Equal(from.AddDays(-200), WarmupLength.Default.StartBefore(from, Timeframe.Day));
        Assert.Equal(from.AddHours(-500), new WarmupLength(500, WarmupUnit.Hours).StartBefore(from, Timeframe.Day));
    }
}
