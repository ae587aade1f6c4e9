using System.Text.Json;
using AgentFirm.Host;
using AgentFirm.Host.Cli;

namespace AgentFirm.Host.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "agentfirm-simulate-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AgentFirmCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Writes_the_layout_and_a_summary()
    {
        var dir = Path.Combine(_root, "market");
        var (code, stdout, stderr) = await Run("simulate", "--seed", "42", "--days", "10", "--symbols", "BTC-USDT,ETH-USDT", "--sentiment-strength", "0.2", "--out", dir);
        Assert.True(code == ExitCodes.Success, stderr);

        Assert.True(File.Exists(Path.Combine(dir, "ohlcv", "1h", "BTC-USDT.csv")));
        Assert.True(File.Exists(Path.Combine(dir, "ohlcv", "1h", "ETH-USDT.csv")));
        Assert.False(File.Exists(Path.Combine(dir, "ohlcv", "1h", "SOL-USDT.csv")));
        Assert.Equal(241, File.ReadAllLines(Path.Combine(dir, "ohlcv", "1h", "BTC-USDT.csv")).Length);
        Assert.Equal(11, File.ReadAllLines(Path.Combine(dir, "onchain", "ETH-USDT.csv")).Length);
        Assert.Equal("timestamp,text,label,source", File.ReadLines(Path.Combine(dir, "text", "headlines.csv")).First());
        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "truth.json")));
        Assert.Equal(0.2, truth.RootElement.GetProperty("planted")[0].GetProperty("coefficient").GetDouble());

        Assert.Contains("BTC-USDT", stdout);
        Assert.Contains("240", stdout);
        Assert.Contains("headlines:", stdout);
        Assert.Contains("regime time shares: bull", stdout);
    }

    [Fact]
    public async Task Daily_timeframe_goes_under_ohlcv_1d_and_output_is_reproducible()
    {
        var a = Path.Combine(_root, "a");
        var b = Path.Combine(_root, "b");
        Assert.Equal(0, (await Run("simulate", "--days", "30", "--timeframe", "1d", "--seed", "3", "--out", a)).Code);
        Assert.Equal(0, (await Run("simulate", "--days", "30", "--timeframe", "1d", "--seed", "3", "--out", b)).Code);
        var file = Path.Combine("ohlcv", "1d", "SOL-USDT.csv");
        Assert.Equal(31, File.ReadAllLines(Path.Combine(a, file)).Length);
        foreach (var f in new[] { file, Path.Combine("text", "headlines.csv"), Path.Combine("onchain", "BTC-USDT.csv"), "truth.json" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, f)), File.ReadAllBytes(Path.Combine(b, f)));
    }

    [Fact]
    public async Task Refuses_a_non_empty_folder_with_exit_2_unless_forced()
    {
        var dir = Path.Combine(_root, "busy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "keep me");

        var (code, _, stderr) = await Run("simulate", "--days", "2", "--out", dir);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--force", stderr);
        Assert.True(File.Exists(Path.Combine(dir, "notes.txt")));

        Assert.Equal(ExitCodes.Success, (await Run("simulate", "--days", "2", "--out", dir, "--force")).Code);
        Assert.False(File.Exists(Path.Combine(dir, "notes.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "truth.json")));
    }

    [Theory]
    [InlineData("--days", "0")]
    [InlineData("--days", "-5")]
    [InlineData("--timeframe", "banana")]
    [InlineData("--timeframe", "7h")]
    [InlineData("--symbols", "BTCUSDT")]
    [InlineData("--symbols", "BTC-USDT,BTC-USDT")]
    [InlineData("--sentiment-strength", "2")]
    [InlineData("--sentiment-lead", "0")]
    [InlineData("--news-volume", "3")]
    [InlineData("--start", "yesterday-ish")]
    public async Task Bad_input_is_exit_2_and_writes_nothing(string option, string value)
    {
        var dir = Path.Combine(_root, "bad");
        var (code, _, stderr) = await Run("simulate", "--days", "2", option, value, "--out", dir);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.StartsWith("error:", stderr);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Out_is_required()
    {
        Assert.Equal(ExitCodes.BadInput, (await Run("simulate", "--days", "2")).Code);
    }
}
