using AgentFirm.Core;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm.Tests;

/// <summary>A two-asset decision step and a mind wired to a stub, for the tests to vary.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset DecisionTime = new(2024, 3, 14, 12, 0, 0, TimeSpan.Zero);

    public static SynthesisRequest Request(params Headline[] headlines) => new(
        DecisionTime,
        [new AssetTarget("BTCUSDT", 0.20, 0.50), new AssetTarget("ETHUSDT", -0.10, 0.40)],
        [
            new AgentView("technical", "BTCUSDT", DecisionTime, 0.6, 0.8, TimeSpan.FromHours(24),
                [new Evidence("rsi_14", 28.1, "oversold"), new Evidence("sma_50", 64_000)], "BTC oversold below its 50-day average"),
            new AgentView("sentiment", "BTCUSDT", DecisionTime.AddHours(-2), 0.1, 0.3, TimeSpan.FromHours(24),
                [new Evidence("lexicon_score", 0.12)], "Mildly positive Bitcoin news flow"),
            new AgentView("onchain", "ETHUSDT", DecisionTime.AddDays(-1), -0.4, 0.6, TimeSpan.FromDays(3),
                [new Evidence("exchange_netflow", 12_500)], "Ethereum moving onto exchanges since 2024-03-12"),
        ],
        Regime.Normal,
        0.6,
        headlines.Length > 0 ? headlines : [new Headline(DecisionTime.AddHours(-3), "Bitcoin ETF inflows hit a record on 2024-03-13", null, "wire", "BTCUSDT")],
        new Dictionary<string, double> { ["BTCUSDT"] = 64_000, ["ETHUSDT"] = 3_200 });

    public static string PromptsFolder => Path.Combine(AppContext.BaseDirectory, "prompts");

    public static LlmOptions Options(OpenAiStub? stub, bool anonymise = false, double maxDeviation = 1.0,
        TimeSpan? timeout = null, string? apiKey = "sk-test-SECRET-0123456789abcdef", string? cachePath = null,
        int maxAttempts = 3, string? promptsFolder = null) => new()
    {
        Mind = MindKind.OpenAI,
        Endpoint = stub?.BaseUrl, // none: a replay, which never calls one
        Model = "stub-model-7b",
        ApiKey = apiKey,
        Timeout = timeout ?? TimeSpan.FromSeconds(10),
        Anonymise = anonymise,
        MaxDeviation = maxDeviation,
        PromptsFolder = promptsFolder ?? PromptsFolder,
        CachePath = cachePath,
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.FromMilliseconds(20),
    };

    public static SemanticKernelMind Mind(LlmOptions options, LogSink logs, CassetteStore? cassettes = null) =>
        new(options, new PromptLibrary(options.PromptsFolder), logs.For<SemanticKernelMind>(), cassettes);

    /// <summary>The shipped prompt of a role's variant.</summary>
    public static string PromptFile(string role, string variant = "baseline") => Path.Combine(PromptsFolder, role, variant + ".md");

    public static string Answer(double btcDirection, double btcConfidence, double ethDirection, double ethConfidence,
        string btc = "BTCUSDT", string eth = "ETHUSDT") =>
        $$"""{"targets":[{"symbol":"{{btc}}","direction":{{btcDirection}},"confidence":{{btcConfidence}}},{"symbol":"{{eth}}","direction":{{ethDirection}},"confidence":{{ethConfidence}}}],"rationale":"Momentum on {{btc}} outweighs the flows on {{eth}}."}""";

    public static void AssertIsQuant(SynthesisRequest request, MindDecision decision)
    {
        Assert.Equal(MindSource.QuantFallback, decision.Source);
        Assert.Equal(request.QuantTargets, decision.Targets);
    }

    public static bool HasWarning(this LogSink logs, string text) =>
        logs.Lines.Any(l => l.Level >= LogLevel.Warning && l.Text.Contains(text, StringComparison.Ordinal));
}
