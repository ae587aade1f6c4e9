using System.Text;
using AgentFirm.Host.Cli;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Sweeps;

/// <summary>`backtest --grid` on the local silo: each run equals the single backtest with its settings; interrupted, it resumes.</summary>
public sealed class BacktestSweepTests
{
    private static async Task<string> SimulateAsync(TempFolder folder)
    {
        var sim = folder.File("sim");
        var run = await CliRunner.RunAsync("simulate", "--seed", "11", "--days", "150", "--timeframe", "1d", "--symbols", "BTC-USDT,ETH-USDT", "--out", sim);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return Path.Combine(sim, "ohlcv");
    }

    private static string[] Base(string data, string strategy) =>
        ["backtest", "--data", data, "--symbols", "BTC-USDT,ETH-USDT", "--timeframe", "1d", "--strategy", strategy, "--from", "2020-03-01", "--warmup", "40"];

    private static void AssertSameFiles(string single, string swept, params string[] files)
    {
        foreach (var file in files)
            Assert.True(File.ReadAllText(Path.Combine(single, file)) == File.ReadAllText(Path.Combine(swept, file)), $"{file} differs between the single backtest and the sweep's run");
    }

    [Fact]
    public async Task Each_run_of_a_firm_sweep_equals_the_single_backtest_with_that_setting_and_flag()
    {
        using var folder = new TempFolder();
        var data = await SimulateAsync(folder);
        var sweep = folder.File("sweep");
        var swept = await CliRunner.RunAsync([.. Base(data, "firm"), "--grid", "AgentFirm:Tactical:TargetVolatility=0.1,0.3", "--grid", "fee-bps=20", "--out", sweep]);
        Assert.True(swept.ExitCode == 0, swept.Stderr);

        var single = folder.File("single");
        var alone = await CliRunner.RunWithSettingsAsync([new("AgentFirm:Tactical:TargetVolatility", "0.3")], [.. Base(data, "firm"), "--fee-bps", "20", "--out", single]);
        Assert.True(alone.ExitCode == 0, alone.Stderr);
        var run = Path.Combine(sweep, "Tactical.TargetVolatility=0.3_fee-bps=20");
        AssertSameFiles(single, run, "equity.csv", "trades.csv", "fills.csv", "decisions.csv");
        // the setting made a difference, so the equality above is not two runs that ignore it
        Assert.NotEqual(File.ReadAllText(Path.Combine(sweep, "Tactical.TargetVolatility=0.1_fee-bps=20", "equity.csv")), File.ReadAllText(Path.Combine(run, "equity.csv")));

        var csv = File.ReadAllLines(Path.Combine(sweep, "sweep.csv"));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("run,AgentFirm:Tactical:TargetVolatility,fee-bps,status,exit_code,total_return", csv[0]);
        Assert.All(csv.Skip(1), line => Assert.Contains(",completed,0,", line));
        Assert.Contains("AgentFirm:Tactical:TargetVolatility=0.3;fee-bps=20", swept.Stdout);
        Assert.Contains("sweep: 2/2 done (0 failed)", swept.Stderr);
    }

    [Fact]
    public async Task A_cancelled_sweep_keeps_its_finished_runs_and_the_same_command_resumes_without_rerunning_them()
    {
        using var folder = new TempFolder();
        var data = await SimulateAsync(folder);
        var sweep = folder.File("sweep");
        string[] args = [.. Base(data, "sma-cross"), "--grid", "param.fast=3,5,8,12", "--grid", "AgentFirm:Backtest:SpreadBps=0,30", "--per-silo", "1", "--out", sweep];

        using var cancel = new CancellationTokenSource();
        var stderr = new CancelOnLine("sweep: 2/8 done", cancel);
        var code = await AgentFirmCli.RunAsync(args, new StringWriter(), stderr, cancel.Token);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("run the same command again (same --out) to resume", stderr.Text);
        var finished = Directory.GetFiles(sweep, "run.json", SearchOption.AllDirectories);
        Assert.InRange(finished.Length, 2, 7);
        var before = finished.ToDictionary(f => f, File.GetLastWriteTimeUtc);
        Assert.Contains("not run", File.ReadAllText(Path.Combine(sweep, "sweep.csv")));

        var resumed = await CliRunner.RunAsync(args);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains($"{finished.Length} of 8 run(s) finished earlier are skipped", resumed.Stderr);
        foreach (var (file, time) in before) Assert.Equal(time, File.GetLastWriteTimeUtc(file)); // not run again
        Assert.Equal(8, Directory.GetFiles(sweep, "run.json", SearchOption.AllDirectories).Length);
        Assert.DoesNotContain("not run", File.ReadAllText(Path.Combine(sweep, "sweep.csv")));

        // and a run of the resumed sweep is still the single backtest with its flag and setting
        var single = folder.File("single");
        var alone = await CliRunner.RunWithSettingsAsync([new("AgentFirm:Backtest:SpreadBps", "30")], [.. Base(data, "sma-cross"), "--param", "fast=12", "--out", single]);
        Assert.True(alone.ExitCode == 0, alone.Stderr);
        AssertSameFiles(single, Path.Combine(sweep, "param.fast=12_Backtest.SpreadBps=30"), "equity.csv", "fills.csv");
    }

    [Theory]
    [InlineData("AgentFirm:Tactical:TargetVolatilty=0.1,0.2", "--grid AgentFirm:Tactical:TargetVolatilty: not a configuration key")]
    [InlineData("fees=1,2", "--grid fees: not a backtest flag a grid can vary")]
    [InlineData("fee-bps=1,,2", "an empty value")]
    [InlineData("fee-bps", "is not KEY=V1,V2")]
    [InlineData("AgentFirm:Tactical:TargetVolatility=abc", "--grid run AgentFirm:Tactical:TargetVolatility=abc:")]
    [InlineData("latency-bars=1,x", "--grid run latency-bars=x:")]
    public async Task A_bad_grid_is_refused_with_exit_2_before_any_run(string grid, string message)
    {
        using var folder = new TempFolder();
        var run = await CliRunner.RunAsync("backtest", "--data", folder.File("nowhere.csv"), "--grid", grid, "--out", folder.File("sweep"));
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(message, run.Stderr);
        Assert.False(Directory.Exists(folder.File("sweep")));
    }

    /// <summary>A stderr that cancels the command once a line containing <paramref name="marker"/> is written (Ctrl+C at that moment).</summary>
    private sealed class CancelOnLine(string marker, CancellationTokenSource cancel) : TextWriter
    {
        private readonly StringBuilder _text = new();
        public override Encoding Encoding => Encoding.UTF8;
        public string Text { get { lock (_text) return _text.ToString(); } }

        public override void Write(char value)
        {
            lock (_text) _text.Append(value);
        }

        public override void WriteLine(string? value)
        {
            lock (_text) _text.AppendLine(value);
            if (value?.Contains(marker, StringComparison.Ordinal) == true) cancel.Cancel();
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
