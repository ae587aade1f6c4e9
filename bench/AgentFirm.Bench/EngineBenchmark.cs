using System.Text.Json.Nodes;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Strategies;

namespace AgentFirm.Bench;

/// <summary>
/// `engine`: bar events per second through the bare backtest engine, single thread, with a trivial
/// strategy that reads the latest bar of each updated symbol (so the as-of path is exercised), on the
/// hourly BTC-USDT and ETH-USDT series. Baseline: a plain loop over the same bars in the same run.
/// </summary>
internal static class EngineBenchmark
{
    private sealed class TouchLatest : IStrategy
    {
        public double Sum;
        public string Name => "touch-latest";

        public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            foreach (var symbol in context.Updated) Sum += context.Bars(symbol).Latest.Close;
            return ValueTask.CompletedTask;
        }
    }

    public static JsonObject Run()
    {
        var (market, source) = BenchData.HourlyBtcEth();
        var events = market.Sum(m => m.Bars.Count);
        var options = new BacktestOptions();
        var engine = new BacktestEngine(options);

        var bare = Measure.Best(() => engine.RunAsync(market, new TouchLatest()).GetAwaiter().GetResult(), TimeSpan.FromSeconds(6));
        var trading = Measure.Best(() => engine.RunAsync(market, new SmaCross(24, 24 * 7)).GetAwaiter().GetResult(), TimeSpan.FromSeconds(4));
        double sink = 0;
        var baseline = Measure.Best(() =>
        {
            foreach (var m in market)
                foreach (var bar in m.Bars) sink += bar.Close;
        }, TimeSpan.FromSeconds(2));

        var rate = events / bare.BestSeconds;
        return new JsonObject
        {
            ["bench"] = "engine",
            ["data"] = source,
            ["bar_events"] = events,
            ["bar_events_per_s"] = Math.Round(rate),
            ["sma_cross_bar_events_per_s"] = Math.Round(events / trading.BestSeconds),
            ["baseline"] = "plain loop over the same bars",
            ["baseline_bar_events_per_s"] = Math.Round(events / baseline.BestSeconds),
            ["engine_vs_baseline"] = Math.Round(rate / (events / baseline.BestSeconds), 4),
            ["goal_bar_events_per_s"] = 5_000_000,
            ["runs"] = bare.Runs,
            ["checksum"] = sink > 0 ? 1 : 0,
        };
    }
}
