using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm.Tests;

/// <summary>Bull and bear argue for N rounds; the meta-controller's mind decides with the transcript.</summary>
public sealed class DebateTests
{
    private static FirmMinds Firm(OpenAiStub stub, int rounds, params (string Key, string Value)[] more)
    {
        var values = new Dictionary<string, string?>
        {
            ["AgentFirm:Llm:Mind"] = "OpenAI",
            ["AgentFirm:Llm:Endpoint"] = stub.BaseUrl.ToString(),
            ["AgentFirm:Llm:Model"] = "stub-model-7b",
            ["AgentFirm:Llm:PromptsFolder"] = Samples.PromptsFolder,
            ["AgentFirm:Llm:DebateRounds"] = rounds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AgentFirm:Llm:Anonymise"] = "false",
            ["AgentFirm:Llm:MaxAttempts"] = "1",
            ["AgentFirm:Minds:Bull:Mind"] = "OpenAI",
            ["AgentFirm:Minds:Bear:Mind"] = "OpenAI",
        };
        foreach (var (key, value) in more) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return Minds.CreateFirm(MindsOptions.From(configuration, LlmOptions.From(configuration)), new LogSink().Factory(), AppContext.BaseDirectory);
    }

    private static string Speaker(StubRequest r) => r.MessageContent("system") switch
    {
        var s when s.StartsWith("You are the bull", StringComparison.Ordinal) => "bull",
        var s when s.StartsWith("You are the bear", StringComparison.Ordinal) => "bear",
        _ => "meta",
    };

    [Fact]
    public async Task A_two_round_debate_runs_bull_then_bear_each_round_and_the_meta_controller_decides_with_the_transcript()
    {
        await using var stub = OpenAiStub.Start();
        var turn = 0;
        stub.RespondWith(r => Speaker(r) switch
        {
            "bull" => StubReply.Completion($$"""{"argument":"Bull point {{++turn}}: RSI 28 is oversold on BTCUSDT.","conviction":0.7}"""),
            "bear" => StubReply.Completion($$"""{"argument":"Bear point {{++turn}}: flows into exchanges on ETHUSDT.","conviction":0.6}"""),
            _ => StubReply.Completion(Samples.Answer(0.3, 0.6, -0.2, 0.5)),
        });
        using var firm = Firm(stub, rounds: 2);
        var request = Samples.Request();

        var turns = await firm.Debate!.RunAsync(request, firm.AnonymiserFor(request), CancellationToken.None);
        var decision = await firm.MetaController.SynthesiseAsync(request with { Debate = turns }, CancellationToken.None);

        Assert.Equal(["bull", "bear", "bull", "bear", "meta"], stub.Requests.Select(Speaker));
        Assert.Equal([(1, "bull"), (1, "bear"), (2, "bull"), (2, "bear")], turns.Select(t => (t.Round, t.Role)));
        Assert.Equal("round 2 bear (0.6): Bear point 4: flows into exchanges on ETHUSDT.", turns[3].Line());
        // the bear of round 1 heard the bull of round 1; the second bull heard both
        Assert.Contains("round 1, bull (conviction 0.7): Bull point 1", stub.Requests[1].MessageContent("user"), StringComparison.Ordinal);
        Assert.Contains("round 1, bear (conviction 0.6): Bear point 2", stub.Requests[2].MessageContent("user"), StringComparison.Ordinal);
        Assert.Contains("Round: 2", stub.Requests[3].MessageContent("user"), StringComparison.Ordinal);
        var meta = stub.Requests[4].MessageContent("user");
        var debate = meta[meta.IndexOf("<debate>", StringComparison.Ordinal)..meta.IndexOf("</debate>", StringComparison.Ordinal)];
        Assert.Equal(4, debate.Split('\n').Count(l => l.StartsWith("- round", StringComparison.Ordinal)));
        Assert.Equal(MindSource.Mind, decision.Source);
        Assert.Equal(0.3, decision.TargetFor("BTCUSDT")!.Direction);
        Assert.Equal(2, firm.Debate.Bull.Stats.Successes);
        Assert.Contains(firm.Describe(), l => l.StartsWith("LLM bear mind: 2 calls, 2 answered", StringComparison.Ordinal));
        Assert.Equal(2, (int)firm.ToJson()["debate_rounds"]!);
    }

    [Fact]
    public async Task A_failed_turn_stays_in_the_transcript_as_no_argument_and_is_counted()
    {
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(r => Speaker(r) == "bear" ? StubReply.Completion("""{"argument":"x","conviction":2}""") : StubReply.Completion("""{"argument":"Buy.","conviction":0.5}"""));
        using var firm = Firm(stub, rounds: 1);
        var request = Samples.Request();

        var turns = await firm.Debate!.RunAsync(request, firm.AnonymiserFor(request), CancellationToken.None);

        Assert.Equal("round 1 bear (0): (no argument: OutOfRange)", turns[1].Line());
        Assert.Equal(1, firm.Debate.Bear.Stats.FallbacksFor(FallbackReason.OutOfRange));
    }

    [Fact]
    public void The_empty_transcript_reads_no_debate_in_the_meta_controllers_prompt_and_the_system_part_is_unchanged()
    {
        var template = new PromptLibrary(Samples.PromptsFolder).Load("meta-controller", "baseline");
        var plain = template.Render(MetaControllerPrompt.Values(Samples.Request(), PromptAnonymiser.For(Samples.Request()), 20));
        var debated = Samples.Request() with { Debate = [new DebateTurn("bull", 1, "Buy BTCUSDT now.", 0.9, null)] };
        var withDebate = template.Render(MetaControllerPrompt.Values(debated, PromptAnonymiser.For(debated), 20));

        Assert.Contains("<debate>\n(no debate)\n</debate>", plain.User, StringComparison.Ordinal);
        Assert.Contains("- round 1, bull (conviction 0.9): Buy ASSET_1 now.", withDebate.User, StringComparison.Ordinal);
        Assert.Equal(plain.System, withDebate.System);
    }

    [Theory]
    [InlineData("AgentFirm:Minds:Bear:Mind", "Offline", "AgentFirm:Minds:bear:Mind is Offline, but the debate needs both")]
    [InlineData("AgentFirm:Llm:Mind", "Offline", "AgentFirm:Minds:bull:Mind starts a debate, but the meta-controller")]
    [InlineData("AgentFirm:Llm:DebateRounds", "9", "AgentFirm:Llm:DebateRounds must be in [1, 5]")]
    public async Task A_debate_that_cannot_take_place_is_a_configuration_error_naming_the_key(string key, string value, string message)
    {
        await using var stub = OpenAiStub.Start();

        var error = Assert.Throws<InvalidOperationException>(() => Firm(stub, 1, (key, value)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
