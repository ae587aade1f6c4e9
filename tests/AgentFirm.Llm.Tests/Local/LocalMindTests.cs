using AgentFirm.Llm.Local;
using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm.Tests.Local;

/// <summary>Mind=Local through the configuration the CLI reads: the meta-controller's mind answers on the embedded model.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class LocalMindTests(TinyModel tiny)
{
    [Fact]
    public async Task Meta_controller_mind_on_the_local_model_answers_for_every_asset_without_falling_back()
    {
        var options = LlmOptions.From(Configuration(tiny.File));
        var stats = new MindStats();
        using var mind = (SemanticKernelMind)Minds.Create(options, new LogSink().Factory(), tiny.Folder, stats);
        var request = Samples.Request();

        var decision = await mind.SynthesiseAsync(request, CancellationToken.None);

        Assert.Equal(MindSource.Mind, decision.Source);
        Assert.Equal(request.QuantTargets.Select(t => t.Symbol), decision.Targets.Select(t => t.Symbol));
        Assert.Equal((1, 1, 0), (stats.Calls, stats.Successes, stats.Fallbacks));
    }

    [Fact]
    public void Missing_model_file_fails_reading_the_configuration_naming_the_key_and_the_path()
    {
        var missing = tiny.PathOf("absent.gguf");

        var error = Assert.Throws<InvalidOperationException>(() => LlmOptions.From(Configuration(missing)));

        Assert.Contains("AgentFirm:Minds:Local:ModelPath", error.Message);
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Mind_Local_without_a_model_path_names_the_key_to_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AgentFirm:Llm:Mind"] = "Local" }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => LlmOptions.From(configuration));

        Assert.Contains("AgentFirm:Minds:Local:ModelPath is required", error.Message);
    }

    private static IConfiguration Configuration(string modelPath) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["AgentFirm:Llm:Mind"] = "Local",
        ["AgentFirm:Llm:PromptsFolder"] = Samples.PromptsFolder,
        ["AgentFirm:Llm:MaxDeviation"] = "1.0",
        [LocalModelOptions.Section + ":ModelPath"] = modelPath,
        [LocalModelOptions.Section + ":ContextSize"] = "6144", // the byte-level vocabulary spends a token per character
        [LocalModelOptions.Section + ":Threads"] = "1",
    }).Build();
}
