using System.Globalization;
using AgentFirm.Dashboard.Model;
using AgentFirm.Host.Firm;
using AgentFirm.Quant.Risk;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests;

/// <summary>The dashboard's launcher runs the CLI verb itself: its run lands in the reports folder, its bad input fails as the CLI says.</summary>
public sealed class DashboardBacktestLauncherTests
{
    private static async Task<BacktestLaunch> FinishedAsync(DashboardBacktestLauncher launcher, string id)
    {
        for (var i = 0; i < 600; i++)
        {
            if (launcher.Launches.Single(l => l.Id == id) is { Finished: true } done) return done;
            await Task.Delay(100);
        }
        throw new TimeoutException($"launch {id} did not finish in a minute");
    }

    [Fact]
    public async Task A_launched_backtest_writes_its_report_folder_and_is_listed_by_its_id()
    {
        using var folder = new TempFolder();
        var bars = folder.File("bars/1d/BTC-USDT.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(bars)!);
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllLines(bars, ["timestamp,open,high,low,close,volume", .. Enumerable.Range(0, 90).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{100 + 5 * Math.Sin(i / 6.0)},{106 + 5 * Math.Sin(i / 6.0)},{94 + 5 * Math.Sin(i / 6.0)},{100 + 5 * Math.Sin(i / 6.0)},1000"))]);
        var monitor = new FirmMonitor(new RiskLimits(), folder.File("out"));
        var launcher = new DashboardBacktestLauncher(folder.File("out"), monitor);
        var changes = 0;
        launcher.Changed += () => Interlocked.Increment(ref changes);

        var launch = launcher.Launch(new BacktestLaunchRequest { Data = folder.File("bars"), Symbols = "BTC-USDT", Strategy = "sma-cross", Parameters = "fast=3 slow=10", Warmup = "0" });
        var done = await FinishedAsync(launcher, launch.Id);

        Assert.True(done.State == LaunchState.Succeeded, done.Message);
        Assert.Equal(1.0, done.Progress);
        Assert.Contains("buy-and-hold", done.Output); // the verb's own summary table
        Assert.True(File.Exists(Path.Combine(folder.Path, "out", done.RunId, "report.json")));
        Assert.Equal("sma-cross", Assert.Single(monitor.Backtests, r => r.Id == done.RunId).Strategy.Split('(')[0]);
        Assert.True(changes >= 3, $"{changes} change notifications: queued, running, progress, finished");

        Assert.True(launcher.Delete(done.RunId));
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out", done.RunId)));
        Assert.Empty(monitor.Backtests);
        Assert.False(launcher.Delete("../bars")); // ids are folder names under the reports folder, never paths
    }

    [Fact]
    public async Task Bad_input_fails_with_the_clis_error_line_and_leaves_no_folder()
    {
        using var folder = new TempFolder();
        var launcher = new DashboardBacktestLauncher(folder.File("out"), new FirmMonitor(new RiskLimits(), folder.File("out")));

        var launch = launcher.Launch(new BacktestLaunchRequest { Data = folder.File("missing"), Symbols = "BTC-USDT" });
        var done = await FinishedAsync(launcher, launch.Id);

        Assert.Equal(LaunchState.Failed, done.State);
        Assert.StartsWith("exit code 2: error:", done.Message);
        Assert.Contains("missing", done.Message);
        Assert.False(Directory.Exists(Path.Combine(folder.Path, "out", done.RunId)));
    }

    [Theory]
    [InlineData("backtest sma-cross: 40%", 0.4)]
    [InlineData("backtest firm: 100%", 1.0)]
    [InlineData("evaluate: variant 3 of 12: firm-without-causal", 2 / 12.0)]
    [InlineData("warning: data gap", null)]
    public void Progress_is_read_from_the_lines_the_verbs_print(string line, double? expected) =>
        Assert.Equal(expected, DashboardBacktestLauncher.Progress(line));
}
