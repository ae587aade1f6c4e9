using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>
/// Minds per role from the command line: a firm backtest whose technical and sentiment analysts, bull and bear
/// researchers (two rounds of debate) and meta-controller think with a scripted model, recorded to cassettes and replayed bit for bit with the server stopped; config
/// errors before any data loads; the cassettes and prompts verbs.
/// </summary>
public sealed class LlmMindsCliTests
{
    private static KeyValuePair<string, string?> Set(string key, string value) => KeyValuePair.Create(key, (string?)value);

    private static string Bars(TempFolder folder, int days)
    {
        var path = folder.File("BTC-USDT.csv");
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", Enumerable.Range(0, days).Select(i =>
        {
            var p = 100 * Math.Exp(0.05 * Math.Sin(i / 3.0) + 0.002 * i);
            return string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{p},{p * 1.01},{p * 0.99},{p},1000");
        })) + "\n");
        return path;
    }

    /// <summary>A model playing every role: its answer depends on the request (a hash of the user message), so a replay that sent other prompts would show.</summary>
    private static StubReply Answer(StubRequest request, ConcurrentQueue<(DateTime At, string Role)> analystCalls)
    {
        var system = request.MessageContent("system");
        var user = request.Json.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user").GetProperty("content").GetString()!;
        var symbols = user.Split('\n').FirstOrDefault(l => l.StartsWith("Symbols to answer for: ", StringComparison.Ordinal))?["Symbols to answer for: ".Length..].Split(", ") ?? [];
        var tilt = (user.Aggregate(17, (h, c) => unchecked(h * 31 + c)) & 0x7fff) / 32767.0; // in [0, 1]
        var direction = Math.Round(tilt * 1.6 - 0.8, 3);
        if (system.StartsWith("You are the bull", StringComparison.Ordinal) || system.StartsWith("You are the bear", StringComparison.Ordinal))
            return StubReply.Completion(string.Create(CultureInfo.InvariantCulture, $"{{\"argument\":\"Scripted argument {tilt:0.000}.\",\"conviction\":0.5}}"));
        if (system.StartsWith("You are the portfolio manager", StringComparison.Ordinal))
            return StubReply.Completion("{\"targets\":[" + string.Join(',', symbols.Select(s => string.Create(CultureInfo.InvariantCulture,
                $"{{\"symbol\":\"{s}\",\"direction\":{direction},\"confidence\":0.6}}"))) + "],\"rationale\":\"Scripted synthesis.\"}");
        analystCalls.Enqueue((DateTime.UtcNow, system.Contains("sentiment analyst", StringComparison.Ordinal) ? "sentiment" : "technical"));
        return StubReply.Completion("{\"views\":[" + string.Join(',', symbols.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{{\"symbol\":\"{s}\",\"direction\":{direction},\"confidence\":0.5,\"horizon_hours\":24,\"falsification_price\":95,\"rationale\":\"Scripted view.\",\"evidence\":[]}}"))) + "]}",
            delay: TimeSpan.FromMilliseconds(150));
    }

    private static IEnumerable<KeyValuePair<string, string?>> Minds(OpenAiStub? stub)
    {
        if (stub is not null) yield return Set("AgentFirm:Llm:Endpoint", stub.BaseUrl.ToString());
        yield return Set("AgentFirm:Llm:Mind", "OpenAI");
        yield return Set("AgentFirm:Llm:Model", "stub");
        // real dates in the prompts: every step's request differs, so each is one call of the stub
        yield return Set("AgentFirm:Llm:Anonymise", "false");
        yield return Set("AgentFirm:Llm:PromptsFolder", Path.Combine(RepoRoot.Path!, "prompts"));
        yield return Set("AgentFirm:Minds:Technical:Mind", "OpenAI");
        yield return Set("AgentFirm:Minds:Sentiment:Mind", "OpenAI");
        yield return Set("AgentFirm:Minds:Bull:Mind", "OpenAI");
        yield return Set("AgentFirm:Minds:Bear:Mind", "OpenAI");
        yield return Set("AgentFirm:Llm:DebateRounds", "2");
        yield return Set("AgentFirm:Llm:Prices:0:Model", "stub");
        yield return Set("AgentFirm:Llm:Prices:0:InputPerMillion", "2.5");
        yield return Set("AgentFirm:Llm:Prices:0:OutputPerMillion", "10");
    }

    [Fact]
    public async Task A_recorded_firm_backtest_replays_bit_for_bit_with_the_server_stopped_and_the_analysts_ask_in_parallel()
    {
        using var folder = new TempFolder();
        var data = Bars(folder, 30);
        var cassettes = folder.File("llm.db");
        var analystCalls = new ConcurrentQueue<(DateTime At, string Role)>();
        var stub = OpenAiStub.Start();
        stub.RespondWith(r => Answer(r, analystCalls));
        string[] Args(string mode, string report) => ["backtest", "--data", data, "--strategy", "firm", "--warmup", "0", "--llm", mode, "--llm-cassettes", cassettes, "--out", folder.File(report)];

        var recorded = await CliRunner.RunWithSettingsAsync(Minds(stub), Args("record", "recorded"));
        var calls = stub.Requests.Count;
        await stub.DisposeAsync();
        var replayed = await CliRunner.RunWithSettingsAsync(Minds(null), Args("replay", "replayed"));

        Assert.True(recorded.ExitCode == 0, recorded.Stderr);
        Assert.True(replayed.ExitCode == 0, replayed.Stderr);
        foreach (var file in new[] { "decisions.csv", "views.csv", "equity.csv", "trades.csv", "fills.csv" })
            Assert.True(File.ReadAllText(Path.Combine(folder.File("recorded"), file)) == File.ReadAllText(Path.Combine(folder.File("replayed"), file)), file);
        var mind = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("recorded"), "report.json")))!["mind"]!;
        var replayMind = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("replayed"), "report.json")))!["mind"]!;
        Assert.Equal(calls, (long)mind["cost"]!["calls"]!);
        Assert.True(JsonNode.DeepEquals(mind["cost"], replayMind["cost"]), replayMind["cost"]!.ToJsonString());
        Assert.Equal("replay", (string)replayMind["mode"]!);
        Assert.Equal((long)replayMind["roles"]!["technical"]!["calls"]!, (long)replayMind["roles"]!["technical"]!["answered"]!);
        // the models' views reached the decisions: the analysts' rationales carry their prompt version
        Assert.Contains("Scripted view. [technical/baseline@", File.ReadAllText(Path.Combine(folder.File("recorded"), "views.csv")));
        Assert.Contains(",mind,", File.ReadAllText(Path.Combine(folder.File("recorded"), "decisions.csv")));
        Assert.StartsWith("meta-controller/baseline@", Assert.Single(mind["prompts"]!.AsObject()).Key, StringComparison.Ordinal);
        Assert.StartsWith("technical/baseline@", Assert.Single(mind["roles"]!["technical"]!["prompts"]!.AsObject()).Key, StringComparison.Ordinal);
        Assert.Contains("LLM technical mind: ", recorded.Stdout);
        // two rounds of debate each scored step: bull and bear speak twice as often as the meta-controller decides
        Assert.Equal(2 * (long)mind["calls"]!, (long)mind["cost"]!["by_role"]!["bull"]!["calls"]!);
        Assert.Equal(2 * (long)mind["calls"]!, (long)mind["roles"]!["bear"]!["answered"]!);
        Assert.Contains("LLM cost: ", recorded.Stdout);
        Assert.Contains("cassettes replay", replayed.Stdout);

        // Both analysts are asked at once each step: the second request of a step arrives while the first (150 ms) is
        // unanswered. Asked one after the other, no step could show a gap under 150 ms; a loaded machine may delay a few.
        var byStep = analystCalls.ToArray().Chunk(2).Where(pair => pair.Length == 2).ToArray();
        Assert.True(byStep.Length >= 10, $"{byStep.Length} steps");
        Assert.All(byStep, pair => Assert.NotEqual(pair[0].Role, pair[1].Role));
        var together = byStep.Count(pair => Math.Abs((pair[1].At - pair[0].At).TotalMilliseconds) < 120);
        Assert.True(together * 4 >= byStep.Length * 3, $"{together} of {byStep.Length} steps asked both analysts at once: " +
            string.Join("; ", byStep.Select(p => $"{p[0].Role} {p[0].At:ss.fff} {p[1].Role} {p[1].At:ss.fff}")));
    }

    [Fact]
    public async Task A_replay_that_misses_a_call_fails_naming_the_request()
    {
        using var folder = new TempFolder();
        var data = Bars(folder, 20);

        var run = await CliRunner.RunWithSettingsAsync(Minds(null),
            "backtest", "--data", data, "--strategy", "firm", "--warmup", "0", "--llm", "replay", "--llm-cassettes", folder.File("empty.db"), "--out", folder.File("r"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--llm replay: no recorded answer for the ", run.Stderr);
        Assert.Contains("(prompt ", run.Stderr);
        Assert.Contains("request ", run.Stderr);
    }

    [Theory]
    [InlineData("AgentFirm:Minds:Trader:Mind", "OpenAI", "AgentFirm:Minds:Trader is not a role")]
    [InlineData("AgentFirm:Minds:Technical:Mind", "OpenAI", "AgentFirm:Minds:Technical:Mind is OpenAI, but AgentFirm:Llm:Endpoint is required")]
    [InlineData("AgentFirm:Minds:Technical:Tier", "huge", "AgentFirm:Minds:Technical:Tier 'huge' is not quick or deep")]
    [InlineData("AgentFirm:Minds:Causal:Prompt", "nosuch", "AgentFirm:Minds:Causal:Prompt 'nosuch'")]
    public async Task A_bad_mind_setting_is_exit_2_naming_the_key_before_any_data_is_read(string key, string value, string message)
    {
        using var folder = new TempFolder();
        var settings = new List<KeyValuePair<string, string?>> { Set("AgentFirm:Llm:Model", "m"), Set(key, value) };
        if (key.Contains("Causal", StringComparison.Ordinal))
            settings.AddRange([Set("AgentFirm:Llm:Endpoint", "http://127.0.0.1:9/v1"), Set("AgentFirm:Minds:Causal:Mind", "OpenAI"), Set("AgentFirm:Llm:PromptsFolder", Path.Combine(RepoRoot.Path!, "prompts"))]);

        var run = await CliRunner.RunWithSettingsAsync(settings, "backtest", "--data", folder.File("missing.csv"), "--strategy", "firm", "--out", folder.File("report"));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}; stderr: {run.Stderr}");
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(message, line.Replace("causal:Prompt: ", "Causal:Prompt 'nosuch' ", StringComparison.Ordinal));
        Assert.DoesNotContain("missing.csv", run.Stderr);
    }

    [Fact]
    public async Task An_unknown_llm_mode_is_exit_2_naming_the_flag()
    {
        using var folder = new TempFolder();

        var run = await CliRunner.RunAsync("backtest", "--data", folder.File("missing.csv"), "--strategy", "firm", "--llm", "cached", "--out", folder.File("report"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--llm 'cached' is not live, record or replay", run.Stderr);
    }

    [Fact]
    public async Task Cassettes_move_between_files_through_export_and_import()
    {
        using var folder = new TempFolder();
        var store = new AgentFirm.Llm.CassetteStore(folder.File("a.db"));
        var request = new AgentFirm.Llm.ModelRequest("openai-compatible", "m", 0, 800, "json_object", [new("system", "s"), new("user", "u")], []);
        await store.PutAsync(new AgentFirm.Llm.Cassette(request.Key(), "m", request.CanonicalJson(), new AgentFirm.Llm.ModelReply("{}", 5, 2)), CancellationToken.None);

        var export = await CliRunner.RunAsync("cassettes", "export", "--cassettes", folder.File("a.db"), "--out", folder.File("calls.jsonl"));
        var import = await CliRunner.RunAsync("cassettes", "import", "--cassettes", folder.File("b.db"), "--in", folder.File("calls.jsonl"));
        File.WriteAllText(folder.File("bad.jsonl"), File.ReadAllText(folder.File("calls.jsonl")).Replace("\"u\"", "\"edited\"", StringComparison.Ordinal));
        var bad = await CliRunner.RunAsync("cassettes", "import", "--cassettes", folder.File("c.db"), "--in", folder.File("bad.jsonl"));

        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Contains("exported 1 call(s)", export.Stdout);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains("imported 1 new call(s)", import.Stdout);
        Assert.Equal(new AgentFirm.Llm.ModelReply("{}", 5, 2), (await new AgentFirm.Llm.CassetteStore(folder.File("b.db")).TryGetAsync(request.Key(), CancellationToken.None))!.Reply);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("line 1: the key is not the hash of the request", bad.Stderr);
    }

    [Fact]
    public async Task Prompts_are_listed_shown_and_diffed_from_the_prompts_folder()
    {
        using var folder = new TempFolder();
        var prompts = folder.File("prompts");
        Directory.CreateDirectory(Path.Combine(prompts, "technical"));
        var baseline = File.ReadAllText(Path.Combine(RepoRoot.Path!, "prompts", "technical", "baseline.md"));
        File.WriteAllText(Path.Combine(prompts, "technical", "baseline.md"), baseline);
        File.WriteAllText(Path.Combine(prompts, "technical", "terse.md"), baseline.Replace("Judge trend against mean reversion", "Prefer trend", StringComparison.Ordinal));
        KeyValuePair<string, string?>[] settings = [Set("AgentFirm:Llm:PromptsFolder", prompts)];

        var list = await CliRunner.RunWithSettingsAsync(settings, "prompts", "list");
        var show = await CliRunner.RunWithSettingsAsync(settings, "prompts", "show", "technical/terse");
        var diff = await CliRunner.RunWithSettingsAsync(settings, "prompts", "diff", "technical/baseline", "technical/terse");
        var unknown = await CliRunner.RunWithSettingsAsync(settings, "prompts", "show", "technical/none");

        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("terse", list.Stdout);
        Assert.Contains("AgentView", list.Stdout);
        Assert.StartsWith("# technical/terse@", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("Prefer trend", show.Stdout);
        var changed = diff.Stdout.Split('\n').Where(l => l.StartsWith("- ", StringComparison.Ordinal) || l.StartsWith("+ ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, changed.Length);
        Assert.StartsWith("- - Judge trend", changed[0], StringComparison.Ordinal);
        Assert.StartsWith("+ - Prefer trend", changed[1], StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("Known: technical/baseline, technical/terse", unknown.Stderr);
    }
}
