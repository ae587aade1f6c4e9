using AgentFirm.Host;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

public sealed class CausalPanelCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string relative, string text)
    {
        var path = _folder.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private void Bars()
    {
        Write("ohlcv/1d/AAA-USDT.csv", "timestamp,open,high,low,close,volume\n2024-01-01T00:00:00Z,10,10,10,10,100\n2024-01-02T00:00:00Z,10,20,10,20,50\n2024-01-03T00:00:00Z,20,20,5,5,0\n2024-01-04T00:00:00Z,5,10,5,10,10\n");
        Write("ohlcv/1d/BBB-USDT.csv", "timestamp,open,high,low,close,volume\n2024-01-02T00:00:00Z,1,1,1,1,7\n2024-01-03T00:00:00Z,1,2,1,2,14\n2024-01-04T00:00:00Z,2,2,1,1,7\n");
    }

    [Fact]
    public async Task Writes_log_returns_volume_changes_and_onchain_metrics_with_gaps_left_empty()
    {
        Bars();
        var chain = Write("chain/btc.csv", "timestamp,mvrv,fear_greed_value,funding_rate_daily_mean\n2024-01-01T00:00:00Z,2,50,\n2024-01-02T00:00:00Z,2.2,60,0.0001\n2024-01-04T00:00:00Z,2.4,,0.0002\n");
        var outPath = _folder.File("panel.csv");
        var run = await CliRunner.RunAsync("causal-panel", "--data", _folder.File("ohlcv"), "--symbols", "AAA-USDT,BBB-USDT", "--onchain", chain, "--out", outPath);
        Assert.True(run.ExitCode == ExitCodes.Success, run.Stderr);

        string L(double x) => x.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var expected = new[]
        {
            "timestamp,AAA_ret,AAA_lvol,BBB_ret,BBB_lvol,mvrv_dlog,funding,fear_greed",
            "2024-01-01T00:00:00Z,,,,,,,50",
            $"2024-01-02T00:00:00Z,{L(Math.Log(2))},{L(Math.Log(0.5))},,,{L(Math.Log(2.2 / 2))},0.0001,60",
            $"2024-01-03T00:00:00Z,{L(Math.Log(0.25))},,{L(Math.Log(2))},{L(Math.Log(2))},,,", // zero volume has no log change; no on-chain row
            $"2024-01-04T00:00:00Z,{L(Math.Log(2))},,{L(Math.Log(0.5))},{L(Math.Log(0.5))},,0.0002,", // MVRV's day before is missing
        };
        Assert.Equal(expected, File.ReadAllLines(outPath));
        Assert.Contains("4 rows (0 complete) x 7 variables", run.Stderr);

        var stdout = await CliRunner.RunAsync("causal-panel", "--data", _folder.File("ohlcv"), "--symbols", "AAA-USDT", "--no-volume", "--no-timestamp", "--from", "2024-01-03");
        Assert.Equal(ExitCodes.Success, stdout.ExitCode);
        Assert.Equal(["AAA_ret", L(Math.Log(0.25)), L(Math.Log(2))], stdout.Stdout.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("timestamp,mvrv\n2024-01-01T00:00:00Z,2\n2024-01-01T00:00:00Z,3\n", "row 3, field 'timestamp'")]
    [InlineData("timestamp,mvrv\n2024-01-01T00:00:00Z,NaN\n", "row 2, field 'mvrv'")]
    [InlineData("timestamp,mvrv\n2024-01-01T00:00:00Z,2\n2024-01-01T01:00:00Z,3\n", "the panel step")]
    public async Task Bad_onchain_files_exit_2_naming_the_problem(string csv, string problem)
    {
        Bars();
        var chain = Write("chain/bad.csv", csv);
        var run = await CliRunner.RunAsync("causal-panel", "--data", _folder.File("ohlcv"), "--symbols", "AAA-USDT", "--onchain", chain);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains(problem, run.Stderr);
    }

    [Fact]
    public async Task Unknown_metrics_and_missing_symbols_exit_2()
    {
        Bars();
        var chain = Write("chain/btc.csv", "timestamp,mvrv\n2024-01-01T00:00:00Z,2\n");
        var unknown = await CliRunner.RunAsync("causal-panel", "--data", _folder.File("ohlcv"), "--symbols", "AAA-USDT", "--onchain", chain, "--metrics", "mvrv,moon_phase");
        Assert.Equal(ExitCodes.BadInput, unknown.ExitCode);
        Assert.Contains("moon_phase", unknown.Stderr);
        var missing = await CliRunner.RunAsync("causal-panel", "--data", _folder.File("ohlcv"), "--symbols", "ZZZ-USDT");
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
    }
}
