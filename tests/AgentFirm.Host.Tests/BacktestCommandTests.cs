using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests;

public sealed class BacktestCommandTests
{
    private static string WriteCsv(TempFolder folder, string relative, params string[] rows)
    {
        var path = folder.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", rows) + "\n");
        return path;
    }

    private static string[] TrendingDays(int count, double start = 100, double step = 1)
    {
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return Enumerable.Range(0, count).Select(i =>
        {
            var p = start + step * i;
            return string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{p},{p + 1},{p - 1},{p},1000");
        }).ToArray();
    }

    [Fact]
    public async Task Writes_every_report_file_with_snake_case_metrics_config_and_checksums()
    {
        using var folder = new TempFolder();
        WriteCsv(folder, "data/1d/BTC-USDT.csv", TrendingDays(120));
        var outDir = folder.File("report");

        var run = await CliRunner.RunAsync("backtest", "--data", folder.File("data"), "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--strategy", "sma-cross", "--param", "fast=5", "--param", "slow=20", "--fee-bps", "7.5", "--slippage-bps", "1", "--out", outDir);

        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var file in new[] { "report.json", "equity.csv", "trades.csv", "fills.csv", "orders.csv", "chart.html" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), $"{file} missing");
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        foreach (var key in new[] { "total_return", "cagr", "volatility", "sharpe", "sortino", "max_drawdown", "calmar", "turnover", "fees_paid", "slippage_paid", "hit_rate", "exposure" })
            Assert.True(report.AsObject().ContainsKey(key), $"report.json lacks {key}");
        Assert.Equal(7.5, (double)report["config"]!["taker_fee_bps"]!);
        Assert.Equal(1.0, (double)report["config"]!["slippage_bps"]!);
        Assert.Equal(64, ((string)report["data"]![0]!["sha256"]!).Length);
        Assert.Equal(0, (int)report["data"]![0]!["gaps"]!);
        Assert.Equal("buyhold", (string)report["benchmark"]!["strategy"]!);
        Assert.Contains("buy-and-hold", run.Stdout);
        Assert.Contains("sharpe", run.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("100%", run.Stderr); // progress went to stderr
        Assert.Equal(121, File.ReadAllLines(Path.Combine(outDir, "equity.csv")).Length);
    }

    [Fact]
    public async Task Broken_csv_exits_2_naming_file_row_and_field_and_writes_nothing()
    {
        using var folder = new TempFolder();
        var rows = TrendingDays(30);
        rows[9] = rows[9].Replace(",1000", ",abc");
        var path = WriteCsv(folder, "data/1d/BTC-USDT.csv", rows);
        var outDir = folder.File("report");

        var run = await CliRunner.RunAsync("backtest", "--data", path, "--timeframe", "1d", "--out", outDir);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("BTC-USDT.csv", run.Stderr);
        Assert.Contains("row 11", run.Stderr); // line 11: header is line 1
        Assert.Contains("volume", run.Stderr);
        Assert.False(Directory.Exists(outDir));
        Assert.DoesNotContain(Directory.GetDirectories(folder.Path), d => Path.GetFileName(d).Contains("tmp"));
    }

    [Theory]
    [InlineData("--from", "2024-03-01", "--to", "2024-02-01")]
    [InlineData("--strategy", "astrology", "--timeframe", "1d")]
    [InlineData("--timeframe", "7x", "--strategy", "buyhold")]
    [InlineData("--fee-bps", "-3", "--strategy", "buyhold")]
    [InlineData("--latency-bars", "0", "--strategy", "buyhold")]
    [InlineData("--param", "fast=50", "--param", "slow=10")]
    public async Task Bad_arguments_exit_2_with_the_reason_on_stderr(string flag1, string value1, string flag2, string value2)
    {
        using var folder = new TempFolder();
        var path = WriteCsv(folder, "BTC-USDT.csv", TrendingDays(60));

        var run = await CliRunner.RunAsync("backtest", "--data", path, flag1, value1, flag2, value2, "--out", folder.File("out"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.Stderr.TrimStart());
        Assert.Equal("", run.Stdout);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public async Task Missing_symbol_file_exits_2_and_says_what_was_looked_for()
    {
        using var folder = new TempFolder();
        WriteCsv(folder, "data/1d/BTC-USDT.csv", TrendingDays(30));

        var run = await CliRunner.RunAsync("backtest", "--data", folder.File("data"), "--symbols", "BTC-USDT,DOGE-USDT", "--out", folder.File("out"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("DOGE-USDT", run.Stderr);
    }

    [Fact]
    public async Task A_gap_follows_the_chosen_policy_and_is_counted_in_the_report()
    {
        using var folder = new TempFolder();
        var rows = TrendingDays(60).ToList();
        rows.RemoveRange(20, 3);
        var path = WriteCsv(folder, "BTC-USDT.csv", rows.ToArray());

        var failed = await CliRunner.RunAsync("backtest", "--data", path, "--gaps", "fail", "--strategy", "buyhold", "--out", folder.File("a"));
        var carried = await CliRunner.RunAsync("backtest", "--data", path, "--gaps", "carry", "--strategy", "buyhold", "--out", folder.File("b"));

        Assert.Equal(2, failed.ExitCode);
        Assert.Contains("row 22", failed.Stderr); // the first bar after the gap
        Assert.Equal(0, carried.ExitCode);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("b"), "report.json")))!;
        Assert.Equal(1, (int)report["data"]![0]!["gaps"]!);
        Assert.Equal(3, (int)report["data"]![0]!["filled_bars"]!);
    }
}
