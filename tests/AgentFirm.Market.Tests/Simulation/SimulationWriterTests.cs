using System.Security.Cryptography;
using System.Text.Json;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Market.Tests.Simulation;

public sealed class SimulationWriterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "agentfirm-simwriter-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static SimulationResult Simulate(long seed = 42, int days = 5) =>
        new MarketSimulator(new SimulatorOptions { Seed = seed, Days = days }).Run();

    [Fact]
    public void Writes_the_shared_layout()
    {
        var dir = Path.Combine(_root, "out");
        var result = Simulate();
        SimulationWriter.Write(result, dir);

        foreach (var symbol in new[] { "BTC-USDT", "ETH-USDT", "SOL-USDT" })
        {
            var ohlcv = File.ReadAllLines(Path.Combine(dir, "ohlcv", "1h", symbol + ".csv"));
            Assert.Equal(OhlcvCsvWriter.Header, ohlcv[0]);
            Assert.Equal(1 + 5 * 24, ohlcv.Length);
            Assert.StartsWith("2020-01-01T00:00:00Z,", ohlcv[1]);
            var onchain = File.ReadAllLines(Path.Combine(dir, "onchain", symbol + ".csv"));
            Assert.Equal("timestamp,mvrv,exchange_netflow,active_addresses", onchain[0]);
            Assert.Equal(6, onchain.Length);
            Assert.Equal(4, onchain[1].Split(',').Length);
        }
        var headlines = File.ReadAllLines(Path.Combine(dir, "text", "headlines.csv"));
        Assert.Equal("timestamp,text,label,source", headlines[0]);
        Assert.Equal(result.Headlines.Count + 1, headlines.Length);
        Assert.All(headlines.Skip(1), line => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,(""(?:[^""]|"""")+""|[^,""]+),(positive|neutral|negative),sim/[a-z-]+$", line)); // a text with a comma is quoted

        using var truth = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "truth.json")));
        var planted = truth.RootElement.GetProperty("planted").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(4, planted.Count);
        Assert.Equal(1, planted["headline_sentiment"].GetProperty("lag_days").GetInt32());
        Assert.Equal(0.3, planted["headline_sentiment"].GetProperty("coefficient").GetDouble());
        Assert.Equal(-1, planted["exchange_netflow"].GetProperty("expected_sign").GetInt32());
        Assert.Equal(42, truth.RootElement.GetProperty("seed").GetInt64());
        Assert.Equal(4, truth.RootElement.GetProperty("regimes").EnumerateObject().Count(p => p.Value.ValueKind == JsonValueKind.Object));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_root), p => Path.GetFileName(p).StartsWith('.'));
    }

    [Fact]
    public void Same_seed_gives_byte_identical_files_and_another_seed_does_not()
    {
        SimulationWriter.Write(Simulate(seed: 5), Path.Combine(_root, "a"));
        SimulationWriter.Write(Simulate(seed: 5), Path.Combine(_root, "b"));
        SimulationWriter.Write(Simulate(seed: 6), Path.Combine(_root, "c"));
        var a = Hashes(Path.Combine(_root, "a"));
        Assert.Equal(8, a.Count);
        Assert.Equal(a, Hashes(Path.Combine(_root, "b")));
        var c = Hashes(Path.Combine(_root, "c"));
        Assert.All(a.Keys, file => Assert.NotEqual(a[file], c[file]));
    }

    [Fact]
    public void Refuses_a_non_empty_folder_unless_forced_and_then_replaces_it()
    {
        var dir = Path.Combine(_root, "busy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "keep.txt"), "mine");
        Assert.Throws<BadInputException>(() => SimulationWriter.Write(Simulate(), dir));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));

        SimulationWriter.Write(Simulate(), dir, force: true);
        Assert.False(File.Exists(Path.Combine(dir, "keep.txt")));
        Assert.True(File.Exists(Path.Combine(dir, "truth.json")));
        Assert.Equal(["busy"], Directory.GetFileSystemEntries(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void An_existing_empty_folder_is_filled()
    {
        var dir = Path.Combine(_root, "empty");
        Directory.CreateDirectory(dir);
        SimulationWriter.Write(Simulate(), dir);
        Assert.True(File.Exists(Path.Combine(dir, "text", "headlines.csv")));
    }

    [Fact]
    public void Missing_onchain_values_are_empty_cells()
    {
        var result = new MarketSimulator(new SimulatorOptions { Days = 400, Timeframe = Timeframe.Day, OnChain = new OnChainSettings(MissingRate: 0.2) }).Run();
        var writer = new StringWriter();
        SimulationWriter.WriteOnChain(writer, result.Assets[0].OnChain);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.Contains(",,") || l.EndsWith(','));
        Assert.All(lines.Skip(1), l => Assert.Equal(4, l.Split(',').Length));
    }

    [Fact]
    public void Headline_text_with_commas_or_quotes_is_quoted()
    {
        var writer = new StringWriter();
        SimulationWriter.WriteHeadlines(writer, [new Headline(SimulatorOptions.DefaultStart, "BTC up, \"big\"", "positive", "sim/x")]);
        Assert.Equal("2020-01-01T00:00:00Z,\"BTC up, \"\"big\"\"\",positive,sim/x", writer.ToString().Split('\n')[1]);
    }

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));
}
