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
    public async Task Running_with_no_verb_starts_the_firm_on_the_simulator_and_stops_after_the_asked_steps()
    {
        var run = await CliRunner.RunAsync("--days", "10", "--speed", "1000", "--steps", "30", "--urls", "http://127.0.0.1:0");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("AgentFirm is running: dashboard on http://127.0.0.1:", run.Stdout);
        Assert.Contains("simulated market", run.Stdout);
        // when --steps stops it, it says how far it got and when the firm first traded (the README quotes it)
        var stopped = System.Text.RegularExpressions.Regex.Match(run.Stdout, @"stopped after (\d+) decision step\(s\); (first fill at step (\d+)|no fill yet)\.");
        Assert.True(stopped.Success, run.Stdout);
        Assert.True(int.Parse(stopped.Groups[1].Value) >= 30);
        if (stopped.Groups[3].Success) Assert.InRange(int.Parse(stopped.Groups[3].Value), 1, int.Parse(stopped.Groups[1].Value));
    }

    [Fact]
    public async Task Running_with_bad_live_options_exits_2()
    {
        var run = await CliRunner.RunAsync("--speed", "0", "--steps", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--speed", run.Stderr);
    }
}
