using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>Every report says what produced it (issue 16): effective configuration, code version, input hashes, seeds, command line.</summary>
public sealed class ProvenanceTests
{
    private static string Bars(TempFolder folder, string name, int days)
    {
        var path = folder.File(name);
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", Enumerable.Range(0, days).Select(i =>
        {
            var p = 100 * Math.Exp(0.02 * Math.Sin(i / 3.0) + 0.001 * i);
            return string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{p},{p * 1.01},{p * 0.99},{p},1000");
        })) + "\n");
        return path;
    }

    private static JsonNode Report(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "report.json")))!;

    [Fact]
    public async Task Firm_runs_with_different_risk_or_llm_settings_record_different_configurations_with_secrets_redacted()
    {
        using var folder = new TempFolder();
        var data = Bars(folder, "BTC-USDT.csv", 40);
        const string secret = "sk-test-do-not-leak-1234";
        async Task<JsonNode> Run(string name, params (string Key, string Value)[] settings)
        {
            // prompts are read from the checkout (relative paths resolve against the working directory; the test's is bin/)
            var all = settings.Append((Key: "AgentFirm:Llm:ApiKey", Value: secret)).Append((Key: "AgentFirm:Llm:PromptsFolder", Value: Path.Combine(RepoRoot.Path!, "prompts")))
                .Select(s => KeyValuePair.Create(s.Key, (string?)s.Value));
            var run = await CliRunner.RunWithSettingsAsync(all, "backtest", "--data", data, "--strategy", "firm", "--fee-bps", "7.5", "--out", folder.File(name));
            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(folder.File(name), "report.json")));
            return Report(folder.File(name));
        }

        var baseline = await Run("base");
        var tighter = await Run("risk", ("AgentFirm:Risk:MaxDrawdown", "0.1"));
        var calmer = await Run("llm", ("AgentFirm:Llm:MaxDeviation", "0.5"));

        JsonNode Config(JsonNode r) => r["provenance"]!["configuration"]!;
        Assert.Equal("0.15", (string?)Config(baseline)["AgentFirm:Risk:MaxDrawdown"]); // appsettings.json's value
        Assert.Equal("0.1", (string?)Config(tighter)["AgentFirm:Risk:MaxDrawdown"]);
        Assert.Equal("0.25", (string?)Config(baseline)["AgentFirm:Llm:MaxDeviation"]); // appsettings.json's value
        Assert.Equal("0.5", (string?)Config(calmer)["AgentFirm:Llm:MaxDeviation"]);
        Assert.False(JsonNode.DeepEquals(Config(baseline), Config(tighter)));
        Assert.False(JsonNode.DeepEquals(Config(baseline), Config(calmer)));
        Assert.Equal(RunProvenance.Redacted, (string?)Config(baseline)["AgentFirm:Llm:ApiKey"]);
        Assert.Equal("7.5", (string?)Config(baseline)["AgentFirm:Backtest:TakerFeeBps"]); // the flag, not the file's 10
        Assert.Equal("Offline", (string?)Config(baseline)["AgentFirm:Llm:Mind"]);
        Assert.False((bool)baseline["halted"]!); // a firm run says so even when it was never halted
        Assert.Null(baseline["halt"]);

        var provenance = baseline["provenance"]!;
        Assert.Equal(["backtest", "--data", data, "--strategy", "firm", "--fee-bps", "7.5", "--out", folder.File("base")],
            provenance["command_line"]!.AsArray().Select(a => (string)a!));
        var expectedHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(data)));
        Assert.Contains(provenance["data_files"]!.AsArray(), f => (string)f!["sha256"]! == expectedHash && (string)f["file"]! == RunPaths.Relative(data));
        // relative to where the run started, never this machine's absolute layout, and it still names the file
        Assert.All(provenance["data_files"]!.AsArray(), f => Assert.False(Path.IsPathRooted((string)f!["file"]!)));
        Assert.Equal(Path.GetFullPath(data), Path.GetFullPath((string)provenance["data_files"]![0]!["file"]!));
        var commit = (string)provenance["code"]!["commit"]!;
        Assert.True(commit == "unknown" || commit.Length == 40 && commit.All(Uri.IsHexDigit), commit);
        Assert.Equal(12, ((string)provenance["prompts"]!["meta-controller"]!).Length);
        Assert.Equal("lexicon", (string?)provenance["sentiment_model"]!["spec"]);
    }

    [Theory]
    [InlineData("AgentFirm:Llm:ApiKey", "sk-123", RunProvenance.Redacted)]
    [InlineData("AgentFirm:Store:ConnectionString", "Host=db;Password=x", RunProvenance.Redacted)]
    [InlineData("AgentFirm:Exchange:Password", "hunter2", RunProvenance.Redacted)]
    [InlineData("AgentFirm:Llm:MaxTokens", "800", "800")]
    [InlineData("AgentFirm:Llm:Endpoint", "https://user:pass@example.com/v1", "https://***redacted***@example.com/v1")]
    [InlineData("AgentFirm:Llm:Endpoint", "http://127.0.0.1:11434/v1", "http://127.0.0.1:11434/v1")]
    public void Secrets_are_redacted_by_key_name_and_inside_urls(string key, string value, string expected) =>
        Assert.Equal(expected, RunProvenance.Redact(key, value));

    [Fact]
    public async Task Causal_graph_json_records_its_input_hash_and_command_line()
    {
        using var folder = new TempFolder();
        var input = folder.File("panel.csv");
        var random = new Random(3);
        double x = 0, y = 0;
        var rows = new List<string> { "x,y" };
        for (var t = 0; t < 200; t++)
        {
            var nx = 0.5 * x + random.NextDouble() - 0.5;
            y = 0.6 * x + random.NextDouble() - 0.5;
            x = nx;
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"{x},{y}"));
        }
        File.WriteAllLines(input, rows);

        var run = await CliRunner.RunAsync("causal", "--input", input, "--tau-max", "1", "--out", folder.File("graph.json"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var provenance = JsonNode.Parse(File.ReadAllText(folder.File("graph.json")))!["provenance"]!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input))), (string?)provenance["data_files"]![0]!["sha256"]);
        Assert.Equal("causal", (string?)provenance["command_line"]![0]);
    }
}
