using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>The LLM mind as a new user meets it from the command line: config errors early, fallbacks counted and shown.</summary>
public sealed class LlmMindCliTests
{
    private static string Bars(TempFolder folder, int days)
    {
        var path = folder.File("BTC-USDT.csv");
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", Enumerable.Range(0, days).Select(i =>
        {
            var p = 100 * Math.Exp(0.03 * Math.Sin(i / 4.0) + 0.001 * i);
            return string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{p},{p * 1.01},{p * 0.99},{p},1000");
        })) + "\n");
        return path;
    }

    private static KeyValuePair<string, string?> Set(string key, string value) => KeyValuePair.Create(key, (string?)value);

    [Fact]
    public async Task A_prompts_folder_that_does_not_exist_is_exit_2_naming_the_key_and_the_resolved_path_before_any_data_is_read()
    {
        using var folder = new TempFolder();
        var run = await CliRunner.RunWithSettingsAsync(
            [Set("AgentFirm:Llm:Mind", "OpenAI"), Set("AgentFirm:Llm:Endpoint", "http://127.0.0.1:9/v1"), Set("AgentFirm:Llm:Model", "m"),
             Set("AgentFirm:Llm:PromptsFolder", "no-such-prompts")],
            "backtest", "--data", folder.File("missing.csv"), "--strategy", "firm", "--out", folder.File("report"));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}; stderr: {run.Stderr}");
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("AgentFirm:Llm:PromptsFolder", line);
        Assert.Contains(Path.Combine(Environment.CurrentDirectory, "no-such-prompts"), line); // resolved against the working directory
        Assert.DoesNotContain("missing.csv", run.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task A_firm_backtest_whose_mind_always_falls_back_says_so_loudly_and_counts_it_in_the_summary_and_report()
    {
        using var folder = new TempFolder();
        var data = Bars(folder, 60);
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(_ => StubReply.Error(503, "model loading"));

        var run = await CliRunner.RunWithSettingsAsync(
            [Set("AgentFirm:Llm:Mind", "OpenAI"), Set("AgentFirm:Llm:Endpoint", stub.BaseUrl.ToString()), Set("AgentFirm:Llm:Model", "stub"),
             Set("AgentFirm:Llm:PromptsFolder", Path.Combine(RepoRoot.Path!, "prompts")),
             Set("AgentFirm:Llm:MaxAttempts", "2"), Set("AgentFirm:Llm:RetryDelay", "00:00:00")],
            "backtest", "--data", data, "--strategy", "firm", "--out", folder.File("report"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        var mind = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("report"), "report.json")))!["mind"]!;
        var calls = (long)mind["calls"]!;
        Assert.True(calls > 0, mind.ToJsonString());
        Assert.Equal(calls, (long)mind["fallbacks_by_reason"]!["HttpError"]!);
        // one retry for each of the first three steps; then the endpoint counts as down: one try per step
        Assert.Equal(3, (long)mind["retries"]!);
        Assert.True((bool)mind["mostly_fell_back"]!);
        Assert.Equal(calls + 3, stub.Requests.Count);
        Assert.Contains($"LLM mind: {calls} calls, 0 answered", run.Stdout);
        Assert.Contains($"(HttpError {calls})", run.Stdout);
        Assert.Contains($"WARNING: the LLM mind fell back to the quant decision on {calls} of {calls} steps", run.Stderr);
        // the first fallbacks are logged with their cause, the rest only counted
        Assert.Contains("HTTP 503", run.Stderr);
        Assert.InRange(run.Stderr.Split('\n').Count(l => l.Contains("fell back to the quant decision: HttpError", StringComparison.Ordinal)), 1, 3);
    }

    [Fact]
    public async Task A_firm_backtest_with_the_offline_mind_writes_no_mind_section()
    {
        using var folder = new TempFolder();
        var data = Bars(folder, 40);

        var run = await CliRunner.RunAsync("backtest", "--data", data, "--strategy", "firm", "--out", folder.File("report"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(folder.File("report"), "report.json")))!["mind"]);
        Assert.DoesNotContain("LLM mind", run.Stdout);
    }
}
