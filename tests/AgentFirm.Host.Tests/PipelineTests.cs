using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests;

public sealed class PipelineTests
{
    [Fact]
    public async Task Simulated_market_backtests_through_the_same_loader_as_real_data()
    {
        using var folder = new TempFolder();
        var sim = folder.File("sim");

        var simulate = await CliRunner.RunAsync("simulate", "--seed", "7", "--days", "120", "--timeframe", "1h", "--symbols", "BTC-USDT,ETH-USDT", "--out", sim);
        Assert.True(simulate.ExitCode == 0, simulate.Stderr);
        var backtest = await CliRunner.RunAsync("backtest", "--data", Path.Combine(sim, "ohlcv"), "--symbols", "BTC-USDT,ETH-USDT", "--timeframe", "1h",
            "--strategy", "sma-cross", "--param", "fast=12,slow=48", "--gaps", "fail", "--out", folder.File("report"));

        Assert.True(backtest.ExitCode == 0, backtest.Stderr);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("report"), "report.json")))!;
        Assert.Equal(120 * 24 - 1, (int)report["periods"]!);
        Assert.Equal(8760, (double)report["periods_per_year"]!);
        Assert.All(report["data"]!.AsArray(), d => Assert.Equal(0, (int)d!["gaps"]!));
        Assert.True((int)report["fills"]! > 0);
    }

    [Fact]
    public async Task Running_with_no_verb_simulates_and_backtests_with_no_setup()
    {
        using var folder = new TempFolder();

        var run = await CliRunner.RunAsync("--days", "60", "--out", folder.File("default"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("buy-and-hold", run.Stdout);
        Assert.True(File.Exists(Path.Combine(folder.File("default"), "chart.html")));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("default"), "report.json")))!;
        Assert.Equal(2, (int)report["variants_tried"]!);
    }
}
