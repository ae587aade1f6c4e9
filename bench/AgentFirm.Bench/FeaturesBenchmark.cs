using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Bench;

/// <summary>
/// `features`: seconds to compute the issue-5 core feature set (17 columns, as-of) over the hourly BTC-USDT
/// bars with the batch path (CoreFeatureSet.Compute), against the pandas figure (about 16 ms for the
/// vectorised equivalents here). Baselines in the same run: the streaming path over the same bars
/// (CoreFeatureSet.ComputeStreaming, what a live feed runs) and SMA20 + RSI14 recomputed from scratch at
/// every bar (quadratic, so on the first 4,000 bars only, reported with its own bar count). Also: the
/// technical analyst's Update + View rate, and the `all` set's seconds.
/// </summary>
internal static class FeaturesBenchmark
{
    private const int BaselineBars = 4_000;

    /// <summary>Issue 5's figure for pandas' vectorised equivalents of the core set on this machine (quoted, not measured here).</summary>
    private const double PandasSeconds = 0.016;

    public static JsonObject Run()
    {
        var (bars, source) = Load();
        FeatureTable? table = null;
        double sink = 0;
        var core = Measure.Best(() => table = CoreFeatureSet.Compute(bars), TimeSpan.FromSeconds(5));
        var streaming = Measure.Best(() => table = CoreFeatureSet.ComputeStreaming(bars), TimeSpan.FromSeconds(3));
        var all = Measure.Best(() => sink += FeatureSets.Compute(bars, FeatureSetKind.All).Columns.Length, TimeSpan.FromSeconds(3), warmups: 1);

        var streamingPair = Measure.Best(() =>
        {
            var sma = new SimpleMovingAverage(20);
            var rsi = new RelativeStrengthIndex(14);
            foreach (var bar in bars)
            {
                var x = sma.Update(bar.Close) + rsi.Update(bar.Close);
                if (double.IsFinite(x)) sink += x; // NaN during warm-up
            }
        }, TimeSpan.FromSeconds(2));

        var head = bars.AsSpan(0, Math.Min(BaselineBars, bars.Length)).ToArray();
        var naive = Measure.Best(() => sink += NaiveSmaRsi(head), TimeSpan.FromSeconds(3), warmups: 1);

        var analyst = Measure.Best(() =>
        {
            var technical = new TechnicalAnalyst();
            foreach (var bar in bars)
            {
                technical.Update("BTC-USDT", bar);
                sink += technical.View("BTC-USDT", bar.CloseTime).Direction;
            }
        }, TimeSpan.FromSeconds(3));

        return new JsonObject
        {
            ["bench"] = "features",
            ["data"] = source,
            ["bars"] = bars.Length,
            ["columns"] = table!.Columns.Length,
            ["seconds"] = Math.Round(core.BestSeconds, 6),
            ["bars_per_s"] = Math.Round(bars.Length / core.BestSeconds),
            ["goal_seconds"] = 0.002,
            ["pandas_seconds"] = PandasSeconds,
            ["speedup_vs_pandas"] = Math.Round(PandasSeconds / core.BestSeconds, 1),
            ["streaming_seconds"] = Math.Round(streaming.BestSeconds, 6),
            ["speedup_vs_streaming"] = Math.Round(streaming.BestSeconds / core.BestSeconds, 1),
            ["all_columns"] = FeatureSets.Names(FeatureSetKind.All).Count,
            ["all_seconds"] = Math.Round(all.BestSeconds, 4),
            ["streaming_sma20_rsi14_bars_per_s"] = Math.Round(bars.Length / streamingPair.BestSeconds),
            ["baseline"] = $"naive recompute-from-scratch SMA20+RSI14 at every bar, first {head.Length} bars (quadratic)",
            ["baseline_bars"] = head.Length,
            ["baseline_seconds"] = Math.Round(naive.BestSeconds, 6),
            ["baseline_bars_per_s"] = Math.Round(head.Length / naive.BestSeconds),
            ["technical_views_per_s"] = Math.Round(bars.Length / analyst.BestSeconds),
            ["runs"] = core.Runs,
            ["checksum"] = double.IsFinite(sink) ? 1 : 0,
        };
    }

    /// <summary>The obvious way: at each bar, SMA20 by summing its window and RSI14 by rerunning Wilder from bar 0.</summary>
    private static double NaiveSmaRsi(Bar[] bars)
    {
        double total = 0;
        for (var t = 0; t < bars.Length; t++)
        {
            if (t >= 19)
            {
                var sum = 0.0;
                for (var i = t - 19; i <= t; i++) sum += bars[i].Close;
                total += sum / 20;
            }
            if (t < 14) continue;
            double gain = 0, loss = 0;
            for (var i = 1; i <= t; i++)
            {
                var d = bars[i].Close - bars[i - 1].Close;
                var g = d > 0 ? d : 0;
                var l = d < 0 ? -d : 0;
                if (i <= 14)
                {
                    gain += g / 14;
                    loss += l / 14;
                }
                else
                {
                    gain = (gain * 13 + g) / 14;
                    loss = (loss * 13 + l) / 14;
                }
            }
            total += loss > 0 ? 100 - 100 / (1 + gain / loss) : 100;
        }
        return total;
    }

    private static (Bar[] Bars, string Source) Load()
    {
        var path = BenchData.File("ohlcv/1h/BTC-USDT.csv");
        if (path is not null)
            return (BarLoader.Load(path, new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.CarryForward }).Bars, "shared ohlcv/1h/BTC-USDT.csv");
        Console.Error.WriteLine("shared data absent: using a synthetic hourly random walk of 60,000 bars");
        return (BenchData.RandomWalk(60_000, 3), "synthetic");
    }
}
