using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm.Tests;

/// <summary>AgentFirm:Minds: a mind per role, checked before any data loads, errors naming the key.</summary>
public sealed class MindsOptionsTests
{
    private static MindsOptions Read(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
        return MindsOptions.From(configuration, LlmOptions.From(configuration));
    }

    private static readonly (string, string)[] Endpoint = [("AgentFirm:Llm:Endpoint", "http://127.0.0.1:9/v1"), ("AgentFirm:Llm:Model", "quick-model")];

    [Fact]
    public void Every_role_is_offline_by_default()
    {
        var minds = Read();

        Assert.Equal(["bear", "bull", "causal", "meta-controller", "onchain", "sentiment", "strategic", "technical"], minds.Roles.Keys.Order(StringComparer.Ordinal));
        Assert.All(minds.Roles.Values, r => Assert.Equal(MindKind.Offline, r.Mind));
        Assert.False(minds.AnyModel);
    }

    [Fact]
    public void A_role_gets_its_kind_model_tier_and_prompt_and_the_deep_tier_its_model()
    {
        var minds = Read([.. Endpoint, ("AgentFirm:Llm:DeepModel", "deep-model"),
            ("AgentFirm:Minds:Technical:Mind", "OpenAI"), ("AgentFirm:Minds:Technical:Prompt", "terse"),
            ("AgentFirm:Minds:onchain:Mind", "openai"), ("AgentFirm:Minds:onchain:Tier", "deep"),
            ("AgentFirm:Minds:Sentiment:Mind", "OpenAI"), ("AgentFirm:Minds:Sentiment:Model", "other"),
            ("AgentFirm:Minds:Local:ModelPath", "models/tiny.gguf")]); // the embedded model's own settings, not a role

        Assert.Equal(new RoleMind("technical", MindKind.OpenAI, "quick-model", ModelTier.Quick, "terse"), minds["technical"]);
        Assert.Equal(new RoleMind("onchain", MindKind.OpenAI, "deep-model", ModelTier.Deep, "baseline"), minds["onchain"]);
        Assert.Equal("other", minds["sentiment"].Model);
        Assert.Equal(MindKind.Offline, minds["meta-controller"].Mind);
    }

    [Fact]
    public void The_meta_controller_keeps_AgentFirm_Llm_Mind_and_may_be_named_either_way()
    {
        Assert.Equal(MindKind.OpenAI, Read([.. Endpoint, ("AgentFirm:Llm:Mind", "OpenAI")])["meta-controller"].Mind);
        Assert.Equal("v2", Read([.. Endpoint, ("AgentFirm:Minds:MetaController:Mind", "OpenAI"), ("AgentFirm:Minds:MetaController:Prompt", "v2")])["meta-controller"].Prompt);
        Assert.Equal(MindKind.Offline, Read([.. Endpoint, ("AgentFirm:Llm:Mind", "OpenAI"), ("AgentFirm:Minds:meta-controller:Mind", "Offline")])["meta-controller"].Mind);
    }

    [Theory]
    [InlineData("AgentFirm:Minds:Trader:Mind", "OpenAI", "AgentFirm:Minds:Trader is not a role")]
    [InlineData("AgentFirm:Minds:Technical:Mind", "Ollama", "AgentFirm:Minds:Technical:Mind 'Ollama' is not one of: Offline, OpenAI")]
    [InlineData("AgentFirm:Minds:Technical:Tier", "huge", "AgentFirm:Minds:Technical:Tier 'huge' is not quick or deep")]
    [InlineData("AgentFirm:Minds:Technical:Temperature", "1", "AgentFirm:Minds:Technical:Temperature is not a setting of a mind")]
    [InlineData("AgentFirm:Minds:Technical:Prompt", "../secret", "AgentFirm:Minds:Technical:Prompt '../secret' is not a variant name")]
    [InlineData("AgentFirm:Minds:Strategic:Mind", "OpenAI", "AgentFirm:Minds:Strategic:Mind the strategic role has no model mind yet")]
    public void A_bad_setting_fails_naming_the_key(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read([.. Endpoint, (key, value)]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_mind_without_an_endpoint_fails_naming_the_role_and_the_endpoint_key_except_in_replay()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("AgentFirm:Llm:Model", "m"), ("AgentFirm:Minds:Causal:Mind", "OpenAI")));

        Assert.StartsWith("AgentFirm:Minds:Causal:Mind is OpenAI, but AgentFirm:Llm:Endpoint is required", error.Message, StringComparison.Ordinal);
        Assert.Equal(MindKind.OpenAI, Read(("AgentFirm:Llm:Model", "m"), ("AgentFirm:Llm:Mode", "Replay"), ("AgentFirm:Minds:Causal:Mind", "OpenAI"))["causal"].Mind);
        var noModel = Assert.Throws<InvalidOperationException>(() => Read(("AgentFirm:Llm:Endpoint", "http://127.0.0.1:9/v1"), ("AgentFirm:Minds:Causal:Mind", "OpenAI")));
        Assert.StartsWith("AgentFirm:Minds:Causal:Model is required", noModel.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prompts_are_checked_for_existence_schema_and_price_before_any_run()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("technical"));
        File.Copy(Samples.PromptFile("meta-controller"), folder.File(Path.Combine("technical", "wrong.md")));
        File.Copy(Samples.PromptFile("technical"), folder.File(Path.Combine("technical", "baseline.md")));
        (string, string)[] common = [.. Endpoint, ("AgentFirm:Llm:PromptsFolder", folder.Path), ("AgentFirm:Minds:Technical:Mind", "OpenAI")];

        var missing = Assert.Throws<InvalidOperationException>(() => Read([.. common, ("AgentFirm:Minds:Technical:Prompt", "v9")]).CheckPrompts(folder.Path));
        Assert.StartsWith("AgentFirm:Minds:technical:Prompt: ", missing.Message, StringComparison.Ordinal);
        Assert.Contains("has no readable technical/v9.md", missing.Message, StringComparison.Ordinal);
        var wrong = Assert.Throws<InvalidOperationException>(() => Read([.. common, ("AgentFirm:Minds:Technical:Prompt", "wrong")]).CheckPrompts(folder.Path));
        Assert.Contains("answers 'Targets', but the technical role needs 'AgentView'", wrong.Message, StringComparison.Ordinal);
        var unpriced = Assert.Throws<InvalidOperationException>(() => Read([.. common, ("AgentFirm:Llm:BudgetPerRun", "1")]).CheckPrompts(folder.Path));
        Assert.StartsWith("AgentFirm:Llm:Prices has no price for model 'quick-model'", unpriced.Message, StringComparison.Ordinal);
        Read([.. common, ("AgentFirm:Llm:BudgetPerRun", "1"), ("AgentFirm:Llm:Prices:0:Model", "quick-model"), ("AgentFirm:Llm:Prices:0:InputPerMillion", "0.15"),
            ("AgentFirm:Llm:Prices:0:OutputPerMillion", "0.6")]).CheckPrompts(folder.Path); // does not throw
    }

    [Fact]
    public void A_firm_of_minds_builds_only_the_roles_that_think_with_a_model()
    {
        var minds = Read([.. Endpoint, ("AgentFirm:Llm:PromptsFolder", Samples.PromptsFolder), ("AgentFirm:Minds:Sentiment:Mind", "OpenAI"), ("AgentFirm:Minds:Causal:Mind", "OpenAI")]);

        using var firm = Minds.CreateFirm(minds, new LogSink().Factory(), AppContext.BaseDirectory);

        Assert.IsType<OfflineMind>(firm.MetaController);
        Assert.Equal(["causal", "sentiment"], firm.Analysts.Keys.Order(StringComparer.Ordinal));
        Assert.True(firm.AnyModel);
        Assert.True(firm.AnalystLatencyBound > TimeSpan.FromSeconds(30)); // the meta-controller's deadline must wait for a slow model
        using var offline = Minds.CreateFirm(Read(), new LogSink().Factory(), AppContext.BaseDirectory);
        Assert.False(offline.AnyModel);
        Assert.Empty(offline.Describe());
    }
}
