using System.Globalization;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>`agentfirm rerun REPORT` repeats a run from its report's provenance and says whether it reproduced (issue 16).</summary>
public sealed class RerunCommandTests
{
    private static string Crash(TempFolder folder) => GoodNewsThenCrash.Write(folder, days: 90, crashDay: 60, crashFactor: 0.8);

    [Fact]
    public async Task A_firm_backtest_reruns_bit_for_bit_under_its_recorded_settings_not_todays()
    {
        using var folder = new TempFolder();
        var data = Crash(folder);
        var original = folder.File("run");
        // the original ran with a tight drawdown limit (it halts); the rerun is started without it and must apply it from the report
        var first = await CliRunner.RunWithSettingsAsync([new("AgentFirm:Risk:MaxDrawdown", "0.03")], "backtest", "--data", data, "--strategy", "firm", "--out", original);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var rerun = await CliRunner.RunWithSettingsAsync([new("AgentFirm:Risk:MaxDrawdown", "0.5")], "rerun", original);

        Assert.True(rerun.ExitCode == 0, rerun.Stderr + rerun.Stdout);
        Assert.Contains("identical: equity.csv of the rerun matches", rerun.Stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(original, "equity.csv")), File.ReadAllBytes(Path.Combine(original + ".rerun", "equity.csv")));
        Assert.Equal(File.ReadAllText(Path.Combine(original, "decisions.csv")), File.ReadAllText(Path.Combine(original + ".rerun", "decisions.csv")));
        bool Halted(string dir) => (bool)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "report.json")))!["halted"]!;
        Assert.True(Halted(original)); // the recorded 3 % limit, not the 50 % now in force, governed both runs
        Assert.True(Halted(original + ".rerun"));
    }

    [Fact]
    public async Task A_validate_run_reruns_bit_for_bit()
    {
        using var folder = new TempFolder();
        var data = ForecastCommandTests.WriteWalk(folder, 300);
        var original = folder.File("validate");
        var first = await CliRunner.RunAsync("validate", "--model", "ridge", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--cv", "walkforward", "--folds", "3", "--out", original);
        Assert.True(first.ExitCode == 0, first.Stderr);

        var rerun = await CliRunner.RunAsync("rerun", Path.Combine(original, "summary.json"), "--out", folder.File("again"));

        Assert.True(rerun.ExitCode == 0, rerun.Stderr + rerun.Stdout);
        Assert.Contains("identical: returns.csv", rerun.Stdout);
    }

    [Fact]
    public async Task A_result_that_does_not_reproduce_is_reported_with_the_first_difference_and_exit_1()
    {
        using var folder = new TempFolder();
        var data = Crash(folder);
        var original = folder.File("run");
        Assert.Equal(0, (await CliRunner.RunAsync("backtest", "--data", data, "--strategy", "sma-cross", "--param", "fast=5,slow=20", "--out", original)).ExitCode);
        var equity = Path.Combine(original, "equity.csv");
        var lines = File.ReadAllLines(equity);
        lines[5] = lines[5].Replace(lines[5].Split(',')[1], "1");
        File.WriteAllLines(equity, lines);

        var rerun = await CliRunner.RunAsync("rerun", original);

        Assert.Equal(1, rerun.ExitCode);
        Assert.Contains("different: equity.csv", rerun.Stdout);
        Assert.Contains("first at line 6", rerun.Stdout);
    }

    [Fact]
    public async Task A_report_without_provenance_is_refused_in_one_line()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("old"));
        File.WriteAllText(folder.File("old/report.json"), "{\"strategy\":\"sma-cross\"}");

        var rerun = await CliRunner.RunAsync("rerun", folder.File("old"));

        Assert.Equal(2, rerun.ExitCode);
        Assert.Single(rerun.Stderr.Trim().Split('\n'));
        Assert.Contains("has no provenance", rerun.Stderr);
        Assert.False(Directory.Exists(folder.File("old.rerun")));
    }
}
