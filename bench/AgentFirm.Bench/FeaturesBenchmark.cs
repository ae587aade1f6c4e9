using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Bench;

/// <summary>
/// `features`: seconds to compute the issue-5 core feature set (17 columns, streaming, as-of) over the hourly
/// BTC-USDT bars. Baseline in the same run: SMA20 + RSI14 recomputed from scratch at every bar (SMA over its
/// window, Wilder's RSI rerun from the first bar), which is quadratic, so it runs on the first 4,000 bars
/// only and is reported with its own bar count. Also: the technical analyst's Update + View rate.
/// </summary>
internal static class FeaturesBenchmark
{
    private const int BaselineBars = 4_000;

    public static JsonObject Run()
    {
        var (bars, source) = Load();
        FeatureTable? table = null;
        var core = Measure.Best(() => table = CoreFeatureSet.Compute(bars), TimeSpan.FromSeconds(5));

        double sink = 0;
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
