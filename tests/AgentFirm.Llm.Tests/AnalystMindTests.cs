using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Llm.Tests;

/// <summary>An analyst thinking with a model: the AgentView schema, one repair, abstention, anonymisation, cassettes and cost.</summary>
public sealed class AnalystMindTests
{
    private static AnalystBriefing Briefing(DateTimeOffset? time = null)
    {
        var t = time ?? Samples.DecisionTime;
        return new AnalystBriefing("technical", t,
        [
            new AgentView("technical", "BTCUSDT", t, 0.6, 0.8, TimeSpan.FromHours(24),
                [new Evidence("rsi_14", 28.1, "oversold"), new Evidence("sma_50", 64_000)], "BTC oversold below its 50-day average"),
            new AgentView("technical", "ETHUSDT", t, -0.2, 0.3, TimeSpan.FromHours(24), [new Evidence("macd_hist", -16)], "ETH momentum fading"),
        ],
        new Dictionary<string, double> { ["BTCUSDT"] = 64_000, ["ETHUSDT"] = 3_200 },
        [new Headline(t.AddHours(-1), "Bitcoin miners sell on 2024-03-13", null, "wire", "BTCUSDT")]);
    }

    internal static string Answer(string btc = "BTCUSDT", string eth = "ETHUSDT", double btcFalsification = 62_000, double ethFalsification = 3_300) =>
        string.Create(CultureInfo.InvariantCulture, $$"""{"views":[{"symbol":"{{btc}}","direction":0.4,"confidence":0.7,"horizon_hours":48,"falsification_price":{{btcFalsification}},"rationale":"Oversold {{btc}} with support.","evidence":[{"name":"rsi_14","value":28.1},{"name":"sma_50","value":{{(btc == "ASSET_1" ? 100 : 64000)}}}]},{"symbol":"{{eth}}","direction":-0.3,"confidence":0.5,"horizon_hours":24,"falsification_price":{{ethFalsification}},"rationale":"Fading momentum.","evidence":[]}]}""");

    private static (ModelAnalystMind Mind, CassetteStore? Cassettes, LlmCosts Costs) Mind(OpenAiStub? stub, LogSink logs, bool anonymise = false,
        LlmMode mode = LlmMode.Live, string? cassettes = null, double? budget = null, string role = "technical")
    {
        var options = Samples.Options(stub, anonymise) with
        {
            Mode = mode,
            CassettePath = cassettes ?? "unused.db",
            Prices = [new ModelPrice { Model = "stub-model-7b", InputPerMillion = 2.5, OutputPerMillion = 10 }],
            BudgetPerRun = budget,
        };
        var store = cassettes is null ? null : new CassetteStore(cassettes);
        var costs = new LlmCosts(options.Prices, options.BudgetPerRun);
        var model = new ChatModel(options, options.Model!, logs.For<ModelAnalystMind>(), new MindStats(), store, costs);
        return (new ModelAnalystMind(new MindParts(role, "baseline", options, new PromptLibrary(options.PromptsFolder), model, logs.For<ModelAnalystMind>())), store, costs);
    }

    [Fact]
    public async Task A_valid_answer_becomes_the_analysts_views_with_a_falsification_price_and_the_prompt_version()
    {
        await using var stub = OpenAiStub.Start();
        stub.ReplyContent(Answer());
        var (mind, _, _) = Mind(stub, new LogSink());
        using var _ = mind;

        var opinion = await mind.ReviewAsync(Briefing(), CancellationToken.None);

        Assert.Equal(MindSource.Mind, opinion.Source);
        var btc = opinion.Views.Single(v => v.Symbol == "BTCUSDT");
        Assert.Equal(("technical", 0.4, 0.7, TimeSpan.FromHours(48)), (btc.Agent, btc.Direction, btc.Confidence, btc.Horizon));
        Assert.Equal(62_000, btc.Evidence.Single(e => e.Name == "falsification_price").Value);
        Assert.Matches(@"^Oversold BTCUSDT with support\. \[technical/baseline@[0-9a-f]{12}\]$", btc.Rationale);
        Assert.StartsWith("technical/baseline@", opinion.PromptVersion, StringComparison.Ordinal);
        Assert.Equal(1, mind.Stats.Prompts()[opinion.PromptVersion!]);
        var request = Assert.Single(stub.Requests);
        Assert.Contains("BTC oversold below its 50-day average", request.MessageContent("user"), StringComparison.Ordinal);
        Assert.Contains("<headlines>", request.MessageContent("user"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymised_analyst_prompt_hides_names_dates_and_levels_and_the_levels_map_back()
    {
        await using var stub = OpenAiStub.Start();
        // 96.875 = 62,000 rebased to 100 at the 64,000 close; 103.125 = 3,300 at 3,200.
        stub.ReplyContent(Answer("ASSET_1", "ASSET_2", 96.875, 103.125));
        var (mind, _, _) = Mind(stub, new LogSink(), anonymise: true);
        using var _ = mind;

        var opinion = await mind.ReviewAsync(Briefing(), CancellationToken.None);

        var user = Assert.Single(stub.Requests).MessageContent("user");
        foreach (var leak in new[] { "BTC", "ETH", "Bitcoin", "2024", "64000", "3200" })
            Assert.DoesNotContain(leak, user, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("- ASSET_1: last price 100", user, StringComparison.Ordinal);
        Assert.Contains("macd_hist=-0.5", user, StringComparison.Ordinal); // -16 in price units at 3,200: rebased like the price
        var btc = opinion.Views.Single(v => v.Symbol == "BTCUSDT");
        Assert.Equal(62_000, btc.Evidence.Single(e => e.Name == "falsification_price").Value, 6);
        Assert.Equal(64_000, btc.Evidence.Single(e => e.Name == "sma_50").Value, 6);
        Assert.Equal(3_300, opinion.Views.Single(v => v.Symbol == "ETHUSDT").Evidence.Single(e => e.Name == "falsification_price").Value, 6);
        Assert.StartsWith("Oversold BTCUSDT", btc.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_system_part_is_byte_identical_across_decision_times_so_a_provider_prompt_cache_can_hit()
    {
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(_ => StubReply.Completion(Answer("ASSET_1", "ASSET_2", 97, 103)));
        var (mind, _, _) = Mind(stub, new LogSink(), anonymise: true);
        using var _ = mind;

        await mind.ReviewAsync(Briefing(), CancellationToken.None);
        await mind.ReviewAsync(Briefing(Samples.DecisionTime.AddDays(40)) with { Prices = new Dictionary<string, double> { ["BTCUSDT"] = 70_000, ["ETHUSDT"] = 2_900 } }, CancellationToken.None);

        var first = stub.Requests[0];
        var second = stub.Requests[1];
        Assert.Equal(first.MessageContent("system"), second.MessageContent("system"));
        Assert.NotEqual(first.MessageContent("user"), second.MessageContent("user"));
        Assert.Equal("system", first.Json.GetProperty("messages")[0].GetProperty("role").GetString()); // static text first
    }

    [Fact]
    public async Task An_invalid_answer_gets_one_repair_with_the_reason_and_the_repaired_answer_counts()
    {
        await using var stub = OpenAiStub.Start();
        stub.ReplyContent(Answer().Replace("\"horizon_hours\":48", "\"horizon_hours\":0", StringComparison.Ordinal)).ReplyContent(Answer());
        var (mind, _, _) = Mind(stub, new LogSink());
        using var _ = mind;

        var opinion = await mind.ReviewAsync(Briefing(), CancellationToken.None);

        Assert.Equal(MindSource.Mind, opinion.Source);
        Assert.Equal((1L, 1L, 0L), (mind.Stats.Repairs, mind.Stats.Successes, mind.Stats.Fallbacks));
        var repair = stub.Requests[1].Json.GetProperty("messages");
        Assert.Equal(4, repair.GetArrayLength());
        Assert.Equal("assistant", repair[2].GetProperty("role").GetString());
        Assert.Contains("'horizon_hours' 0 is outside [1, 2160]", repair[3].GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, FallbackReason> BadAnswers => new()
    {
        { "prose", "I think it goes up.", FallbackReason.InvalidJson },
        { "no falsification price", Answer().Replace("\"falsification_price\":62000,", "", StringComparison.Ordinal), FallbackReason.SchemaViolation },
        { "negative falsification price", Answer(btcFalsification: -5), FallbackReason.OutOfRange },
        { "extra field", Answer().Replace("\"horizon_hours\":48", "\"horizon_hours\":48,\"leverage\":5", StringComparison.Ordinal), FallbackReason.SchemaViolation },
        { "unknown symbol", Answer(eth: "DOGEUSDT"), FallbackReason.UnknownSymbol },
        { "too much evidence", Answer().Replace("\"evidence\":[]", "\"evidence\":[" + string.Join(',', Enumerable.Repeat("{\"name\":\"x\",\"value\":1}", 9)) + "]", StringComparison.Ordinal), FallbackReason.OutOfRange },
    };

    [Theory]
    [MemberData(nameof(BadAnswers))]
    public async Task An_answer_still_invalid_after_the_repair_abstains_the_quant_views_stand_and_the_reason_is_counted(string name, string content, FallbackReason reason)
    {
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(_ => StubReply.Completion(content));
        var logs = new LogSink();
        var (mind, _, _) = Mind(stub, logs);
        using var _ = mind;
        var briefing = Briefing();

        var opinion = await mind.ReviewAsync(briefing, CancellationToken.None);

        Assert.Equal(MindSource.QuantFallback, opinion.Source);
        Assert.Same(briefing.QuantViews, opinion.Views);
        Assert.True(reason == opinion.Reason, $"{name}: {opinion.Reason}");
        Assert.Equal(1, mind.Stats.FallbacksFor(reason));
        Assert.Equal(2, stub.Requests.Count); // the answer and its one repair
        Assert.True(logs.HasWarning("abstained, the quantitative view stands"), name);
        Assert.True(logs.HasWarning("LLM technical mind at 2024-03-14"), logs.All);
    }

    [Theory]
    [InlineData(500, FallbackReason.HttpError)]
    [InlineData(429, FallbackReason.HttpError)]
    public async Task A_failing_endpoint_abstains_after_its_retries(int status, FallbackReason reason)
    {
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(_ => StubReply.Error(status, "busy"));
        var (mind, _, _) = Mind(stub, new LogSink());
        using var _ = mind;

        var opinion = await mind.ReviewAsync(Briefing(), CancellationToken.None);

        Assert.Equal((MindSource.QuantFallback, reason), (opinion.Source, opinion.Reason));
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal("HttpError 1", mind.Stats.FallbackSummary());
    }

    [Fact]
    public async Task Garbage_from_the_stub_times_out_or_cancels_into_an_abstention()
    {
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(_ => StubReply.Completion(Answer(), delay: TimeSpan.FromSeconds(20)));
        var (mind, _, _) = Mind(stub, new LogSink());
        using var _ = mind;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var opinion = await mind.ReviewAsync(Briefing(), cancel.Token);

        Assert.Equal(FallbackReason.Cancelled, opinion.Reason);
    }

    [Fact]
    public async Task A_recorded_run_replays_identically_with_the_server_stopped_and_a_miss_names_the_request()
    {
        using var folder = new TempFolder();
        var file = folder.File("llm.db");
        var times = Enumerable.Range(0, 4).Select(d => Samples.DecisionTime.AddDays(d)).ToArray();
        var recorded = new List<AnalystOpinion>();
        var stub = OpenAiStub.Start();
        var answer = 0;
        // the first answer of each step is broken: the recording holds the repair too
        stub.RespondWith(_ => StubReply.Completion(Interlocked.Increment(ref answer) % 3 == 1 ? "not json" : Answer()));
        var (recorder, _, recordCosts) = Mind(stub, new LogSink(), mode: LlmMode.Record, cassettes: file);
        using (recorder)
            foreach (var t in times) recorded.Add(await recorder.ReviewAsync(Briefing(t), CancellationToken.None));
        var calls = stub.Requests.Count;
        await stub.DisposeAsync();

        var (replayer, store, replayCosts) = Mind(null, new LogSink(), mode: LlmMode.Replay, cassettes: file);
        using var _ = replayer;
        var replayed = new List<AnalystOpinion>();
        foreach (var t in times) replayed.Add(await replayer.ReviewAsync(Briefing(t), CancellationToken.None));

        Assert.Equal(calls, await store!.CountAsync(CancellationToken.None));
        Assert.Equal(Describe(recorded), Describe(replayed));
        Assert.Equal(recordCosts.Describe(), replayCosts.Describe());
        Assert.Equal(replayer.Stats.Calls, replayer.Stats.Successes);
        Assert.Equal(calls, replayer.Stats.CacheHits);

        var miss = await Assert.ThrowsAsync<CassetteMissException>(() => replayer.ReviewAsync(Briefing(Samples.DecisionTime.AddDays(9)), CancellationToken.None));
        Assert.Contains("technical call at 2024-03-23T12:00:00", miss.Message, StringComparison.Ordinal);
        Assert.Contains("prompt technical/baseline@", miss.Message, StringComparison.Ordinal);
        Assert.Contains("model stub-model-7b, request ", miss.Message, StringComparison.Ordinal);
        Assert.Equal(miss.Message, store.FirstMiss);
    }

    private static string Describe(IEnumerable<AnalystOpinion> opinions) => string.Join('\n', opinions.SelectMany(o => o.Views.Select(v =>
        string.Create(CultureInfo.InvariantCulture, $"{o.Source} {v.Symbol} {v.Direction:R} {v.Confidence:R} {v.Horizon} {string.Join(',', v.Evidence.Select(e => $"{e.Name}={e.Value:R}"))} {v.Rationale}"))));

    [Fact]
    public async Task Tokens_are_priced_per_role_and_step_and_a_spent_budget_fails_closed_without_calling_the_model()
    {
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(_ => StubReply.Completion(Answer()));
        // the stub reports 10 input and 10 output tokens per call: 10 x 2.5 + 10 x 10 = $0.000125 per call
        var (mind, _, costs) = Mind(stub, new LogSink(), budget: 0.0002);
        using var _ = mind;

        var first = await mind.ReviewAsync(Briefing(), CancellationToken.None);
        var second = await mind.ReviewAsync(Briefing(Samples.DecisionTime.AddDays(1)), CancellationToken.None);
        var third = await mind.ReviewAsync(Briefing(Samples.DecisionTime.AddDays(2)), CancellationToken.None);

        Assert.Equal((MindSource.Mind, MindSource.Mind), (first.Source, second.Source));
        Assert.Equal((MindSource.QuantFallback, FallbackReason.BudgetExhausted), (third.Source, third.Reason));
        Assert.Equal(2, stub.Requests.Count);
        Assert.Equal(0.00025, costs.Spent, 12);
        Assert.Equal((2L, 20L, 20L), (costs.ByRole()["technical"].Calls, costs.ByRole()["technical"].InputTokens, costs.ByRole()["technical"].OutputTokens));
        Assert.Equal(0.000125, costs.ByStep()[Samples.DecisionTime], 12);
        Assert.Equal(1, costs.Refused);
        Assert.Equal("LLM cost: 2 calls, 20 in + 20 out tokens, $0.00025 (technical $0.00025); budget $0.0002, 1 calls refused: minds fell back to their offline views once it was spent", costs.Describe());
        Assert.Equal((20L, 20L), (mind.Stats.InputTokens, mind.Stats.OutputTokens));
    }
}
