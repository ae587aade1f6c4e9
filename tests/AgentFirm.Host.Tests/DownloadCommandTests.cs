using System.CommandLine;
using AgentFirm.Core;
using AgentFirm.Host.Cli;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;
using AgentFirm.TestSupport.Exchange;

namespace AgentFirm.Host.Tests;

public sealed class DownloadCommandTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Timeframe H1 = Timeframe.Hour;

    private sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static async Task<Run> RunCli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AgentFirmCli.RunAsync(args, stdout, stderr);
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The verb alone with a stopped clock and no real waiting, mapped to exit codes as the CLI does.</summary>
    private static async Task<Run> RunWithoutWaiting(List<TimeSpan> delays, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var services = new DownloadServices
        {
            Clock = new StoppedClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Delay = (delay, _) => { delays.Add(delay); return Task.CompletedTask; },
        };
        var root = new RootCommand { DownloadCommand.Create(stdout, stderr, services) };
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new Run(code, stdout.ToString(), stderr.ToString());
    }

    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static string Csv(IEnumerable<Bar> bars)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        OhlcvCsvWriter.WriteTo(writer, bars);
        return writer.ToString();
    }

    [Fact]
    public async Task Downloads_end_to_end_from_the_fake_exchange()
    {
        using var folder = new TempFolder();
        await using var fake = FakeExchange.Start();
        var btc = FakePricePath.Generate(Start, H1, 31 * 24 + 10, seed: 1);
        var eth = FakePricePath.Generate(Start, H1, 31 * 24 + 10, seed: 2, firstPrice: 2300);
        fake.AddMarket("BTCUSDT", H1, FakePricePath.WithGap(btc, 100, 3));
        fake.AddMarket("ETHUSDT", H1, eth);

        var run = await RunCli("download", "--exchange", "binance", "--symbols", "BTC-USDT,ETH-USDT", "--timeframe", "1h",
            "--from", "2024-01-01", "--to", "2024-02-01", "--out", folder.Path, "--base-url", fake.BaseUrl.ToString());

        Assert.True(run.ExitCode == 0, run.Stderr);
        var btcFile = Path.Combine(folder.Path, "1h", "BTC-USDT.csv");
        Assert.Equal(Csv(FakePricePath.WithGap(btc, 100, 3).Take(31 * 24 - 3)), File.ReadAllText(btcFile));
        Assert.Equal(Csv(eth.Take(31 * 24)), File.ReadAllText(Path.Combine(folder.Path, "1h", "ETH-USDT.csv")));

        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // stdout holds the summaries only
        Assert.StartsWith("BTC-USDT: rows written 741", lines[0]);
        Assert.Contains("gaps: 1 (3 missing bars, first missing 2024-01-05T04:00:00Z)", lines[0]);
        Assert.Contains("retries: 0", lines[0]);
        Assert.StartsWith("ETH-USDT: rows written 744", lines[1]);
        Assert.Contains("gaps: none", lines[1]);
        Assert.Contains("binance BTC-USDT: page 1", run.Stderr); // progress on stderr
    }

    [Fact]
    public async Task Coinbase_end_to_end_writes_the_usd_product()
    {
        using var folder = new TempFolder();
        await using var fake = FakeExchange.Start();
        var bars = FakePricePath.Generate(Start, H1, 48);
        fake.AddMarket("BTC-USD", H1, bars);

        var run = await RunCli("download", "--exchange", "Coinbase", "--symbols", "BTC-USDT", "--timeframe", "1h",
            "--from", "2024-01-01", "--to", "2024-01-03", "--out", folder.Path, "--base-url", fake.BaseUrl.ToString());

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(Csv(bars), File.ReadAllText(Path.Combine(folder.Path, "1h", "BTC-USD.csv")));
        Assert.StartsWith("BTC-USDT (coinbase BTC-USD): rows written 48", run.Stdout);
    }

    [Fact]
    public async Task A_second_run_resumes_and_reports_it()
    {
        using var folder = new TempFolder();
        await using var fake = FakeExchange.Start();
        var bars = FakePricePath.Generate(Start, H1, 72);
        fake.AddMarket("BTCUSDT", H1, bars);
        string[] Args(string to) => ["download", "--exchange", "binance", "--symbols", "BTC-USDT", "--timeframe", "1h",
            "--from", "2024-01-01", "--to", to, "--out", folder.Path, "--base-url", fake.BaseUrl.ToString()];

        Assert.Equal(0, (await RunCli(Args("2024-01-02"))).ExitCode);
        var second = await RunCli(Args("2024-01-04"));

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("rows written 48, 72 in", second.Stdout);
        Assert.Contains("resumed after 2024-01-01T23:00:00Z", second.Stdout);
        Assert.Equal(Csv(bars), File.ReadAllText(Path.Combine(folder.Path, "1h", "BTC-USDT.csv")));
    }

    [Theory]
    [InlineData("--from", "2024-02-01", "--to", "2024-01-01")]
    [InlineData("--from", "2024-01-01", "--to", "2024-01-01")]
    [InlineData("--from", "yesterday", "--to", "2024-01-01")]
    [InlineData("--from", "2024-01-01", "--to", "2024-13-01")]
    public async Task Bad_dates_exit_2_without_touching_the_network(string o1, string v1, string o2, string v2)
    {
        using var folder = new TempFolder();
        await using var fake = FakeExchange.Start();
        var run = await RunCli("download", "--exchange", "binance", "--symbols", "BTC-USDT", "--timeframe", "1h",
            o1, v1, o2, v2, "--out", folder.Path, "--base-url", fake.BaseUrl.ToString());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error:", run.Stderr);
        Assert.Empty(fake.Requests);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Theory]
    [InlineData("--exchange", "kraken")]
    [InlineData("--timeframe", "7x")]
    [InlineData("--timeframe", "4h", "--exchange", "coinbase")] // Coinbase has no 4h candles
    [InlineData("--symbols", "BTCUSDT")]
    [InlineData("--symbols", "BTC-USDT-PERP")]
    [InlineData("--base-url", "ftp://example")]
    [InlineData("--max-attempts", "0")]
    public async Task Bad_arguments_exit_2(params string[] overrides)
    {
        using var folder = new TempFolder();
        var options = new Dictionary<string, string>
        {
            ["--exchange"] = "binance", ["--symbols"] = "BTC-USDT", ["--timeframe"] = "1h",
            ["--from"] = "2024-01-01", ["--to"] = "2024-01-02", ["--out"] = folder.Path, ["--base-url"] = "http://127.0.0.1:9/",
        };
        for (var i = 0; i < overrides.Length; i += 2) options[overrides[i]] = overrides[i + 1];

        var run = await RunCli(["download", .. options.SelectMany(o => new[] { o.Key, o.Value })]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.Stderr);
    }

    [Fact]
    public async Task Persistent_server_errors_exit_1_with_the_error_on_stderr_and_no_file()
    {
        using var folder = new TempFolder();
        await using var fake = FakeExchange.Start();
        fake.AddMarket("BTCUSDT", H1, FakePricePath.Generate(Start, H1, 24));
        fake.FailEveryRequest(FakeFault.ServerError);
        var delays = new List<TimeSpan>();

        var run = await RunWithoutWaiting(delays, "download", "--exchange", "binance", "--symbols", "BTC-USDT", "--timeframe", "1h",
            "--from", "2024-01-01", "--to", "2024-01-02", "--out", folder.Path, "--base-url", fake.BaseUrl.ToString(), "--max-attempts", "3");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("error: BTC-USDT: GET", run.Stderr);
        Assert.Contains("failed 3 times", run.Stderr);
        Assert.Contains("HTTP 500", run.Stderr);
        Assert.Equal(3, fake.Requests.Count);
        Assert.Equal(2, delays.Count);
        Assert.Equal("", run.Stdout);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task An_unreachable_exchange_exits_1()
    {
        using var folder = new TempFolder();
        Uri closed;
        await using (var fake = FakeExchange.Start()) closed = fake.BaseUrl; // nothing listens there any more
        var delays = new List<TimeSpan>();

        var run = await RunWithoutWaiting(delays, "download", "--exchange", "coinbase", "--symbols", "BTC-USD", "--timeframe", "1d",
            "--from", "2024-01-01", "--to", "2024-02-01", "--out", folder.Path, "--base-url", closed.ToString(), "--max-attempts", "2");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("connection failed", run.Stderr);
        Assert.Single(delays);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories));
    }
}
