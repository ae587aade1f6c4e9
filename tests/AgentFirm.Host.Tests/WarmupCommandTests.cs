using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests;

public sealed class WarmupCommandTests
{
    /// <summary>120 daily bars from 2024-01-01 rising one unit a day.</summary>
    private static string TrendingFolder(TempFolder folder)
    {
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, 120).Select(i =>
        {
            var p = 100.0 + i;
            return string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{p},{p + 1},{p - 1},{p},1000000");
        });
        var path = folder.File("data/1d/BTC-USDT.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", rows) + "\n");
        return folder.File("data");
    }

    [Fact]
    public async Task Backtest_warms_up_before_from_and_trades_and_scores_only_from_it()
    {
        using var folder = new TempFolder();
        var data = TrendingFolder(folder);
        var outDir = folder.File("report");

        var run = await CliRunner.RunAsync("backtest", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d", "--from", "2024-02-20",
            "--warmup", "30", "--strategy", "momentum", "--param", "lookback=20", "--out", outDir);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        var warmup = report["warmup"]!;
        Assert.Equal("30 bars", (string)warmup["requested"]!);
        Assert.Equal(new DateTimeOffset(2024, 1, 21, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)warmup["first_bar"]!);
        Assert.Equal(30, (int)warmup["bars"]!["BTC-USDT"]!);
        Assert.True((bool)warmup["complete"]!);
        Assert.True((int)warmup["orders_suppressed"]! > 0); // momentum wanted in during the warm-up and was held back
        Assert.Equal(new DateTimeOffset(2024, 2, 20, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)report["data"]![0]!["first_bar"]!);
        Assert.Equal(70, (int)report["data"]![0]!["bars_used"]!); // 2024-02-20 .. 2024-04-29
        // The curve, fills and trades start at --from: the first point is the close of the bar opening on it.
        var equity = File.ReadAllLines(Path.Combine(outDir, "equity.csv"));
        Assert.Equal(71, equity.Length);
        Assert.StartsWith("2024-02-21", equity[1]);
        var fills = File.ReadAllLines(Path.Combine(outDir, "fills.csv")).Skip(1).ToArray();
        Assert.NotEmpty(fills);
        Assert.All(fills, f => Assert.True(string.CompareOrdinal(f[..10], "2024-02-21") >= 0, f));
        // Warmed up, momentum is in the market from the first traded decision: its first fill is the next day.
        Assert.StartsWith("2024-02-22", fills[0]);
        Assert.Contains("warm-up: 30 step(s)", run.Stdout);
    }

    [Fact]
    public async Task Buy_and_hold_after_a_warm_up_equals_buy_and_hold_started_at_from()
    {
        using var folder = new TempFolder();
        var data = TrendingFolder(folder);

        var warmed = await CliRunner.RunAsync("backtest", "--data", data, "--symbols", "BTC-USDT", "--from", "2024-02-20", "--warmup", "40d", "--strategy", "buyhold", "--out", folder.File("a"));
        var cold = await CliRunner.RunAsync("backtest", "--data", data, "--symbols", "BTC-USDT", "--from", "2024-02-20", "--warmup", "0", "--strategy", "buyhold", "--out", folder.File("b"));

        Assert.True(warmed.ExitCode == 0, warmed.Stderr);
        Assert.True(cold.ExitCode == 0, cold.Stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(folder.File("b"), "equity.csv")), File.ReadAllText(Path.Combine(folder.File("a"), "equity.csv")));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("b"), "report.json")))!;
        Assert.Equal(0, (int)report["warmup"]!["steps"]!);
    }

    [Fact]
    public async Task Short_history_warms_up_on_what_exists_and_says_so()
    {
        using var folder = new TempFolder();
        var data = TrendingFolder(folder);
        var outDir = folder.File("report");

        var run = await CliRunner.RunAsync("backtest", "--data", data, "--symbols", "BTC-USDT", "--from", "2024-02-20", "--warmup", "500d", "--strategy", "buyhold", "--out", outDir);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("warning: warm-up: BTC-USDT has 50 of the 500 bars asked for", run.Stderr);
        var warmup = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!["warmup"]!;
        Assert.False((bool)warmup["complete"]!);
        Assert.Equal(50, (int)warmup["bars"]!["BTC-USDT"]!);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)warmup["first_bar"]!);
        Assert.Single(warmup["shortfalls"]!.AsArray());
    }

    [Theory]
    [InlineData("ten")]
    [InlineData("5w")]
    [InlineData("1.5d")]
    public async Task A_bad_warmup_exits_2_naming_the_flag(string value)
    {
        using var folder = new TempFolder();
        var data = TrendingFolder(folder);

        var run = await CliRunner.RunAsync("backtest", "--data", data, "--symbols", "BTC-USDT", "--from", "2024-02-20", "--warmup", value, "--out", folder.File("out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--warmup", run.Stderr);
        Assert.False(Directory.Exists(folder.File("out")));
    }
}
