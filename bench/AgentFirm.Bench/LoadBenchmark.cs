using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Market.Data;

namespace AgentFirm.Bench;

/// <summary>
/// `load`: rows per second to parse and validate the largest shared OHLCV CSV (ohlcv/1h/BTC-USDT.csv)
/// with the strict loader. Baseline in the same run: the obvious loader (ReadAllLines, Split,
/// double.Parse, DateTimeOffset.Parse) with no validation at all.
/// </summary>
internal static class LoadBenchmark
{
    public static JsonObject Run()
    {
        var path = BenchData.File("ohlcv/1h/BTC-USDT.csv");
        var source = "shared ohlcv/1h/BTC-USDT.csv";
        string? temp = null;
        if (path is null)
        {
            Console.Error.WriteLine("shared data absent: writing 60,000 synthetic hourly bars to a temp file");
            temp = Path.Combine(Path.GetTempPath(), $"agentfirm-bench-{Guid.NewGuid():N}.csv");
            OhlcvCsvWriter.Write(temp, BenchData.RandomWalk(60_000, 7));
            path = temp;
            source = "synthetic";
        }
        try
        {
            var options = new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.CarryForward };
            var rows = BarLoader.Load(path, options).Report.Rows;
            var strict = Measure.Best(() => BarLoader.Load(path, options), TimeSpan.FromSeconds(5));
            var naive = Measure.Best(() => NaiveLoad(path), TimeSpan.FromSeconds(3));
            var rate = rows / strict.BestSeconds;
            return new JsonObject
            {
                ["bench"] = "load",
                ["data"] = source,
                ["rows"] = rows,
                ["bytes"] = new FileInfo(path).Length,
                ["rows_per_s"] = Math.Round(rate),
                ["baseline"] = "ReadAllLines + Split + double.Parse, no validation",
                ["baseline_rows_per_s"] = Math.Round(rows / naive.BestSeconds),
                ["strict_vs_baseline"] = Math.Round(rate / (rows / naive.BestSeconds), 3),
                ["goal_rows_per_s"] = 1_000_000,
                ["runs"] = strict.Runs,
            };
        }
        finally
        {
            if (temp is not null) File.Delete(temp);
        }
    }

    private static List<Bar> NaiveLoad(string path)
    {
        var bars = new List<Bar>();
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',');
            bars.Add(new Bar(DateTimeOffset.Parse(f[0], CultureInfo.InvariantCulture), TimeSpan.FromHours(1),
                double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture),
                double.Parse(f[5], CultureInfo.InvariantCulture)));
        }
        return bars;
    }
}
