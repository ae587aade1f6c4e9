using System.Text.Json;
using AgentFirm.Llm.Local;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentFirm.Llm.Tests.Local;

/// <summary>The embedded model on the tiny random-weight llama: grammar-bound answers, seeds, and clear errors for bad files.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class LocalModelTests(TinyModel tiny)
{
    private static readonly string[] Symbols = ["ASSET_1", "ASSET_2"];

    [Fact]
    public async Task Every_meta_controller_answer_parses_into_the_answer_schema()
    {
        var chat = new LocalChatCompletionService(tiny.Model, tiny.Options, MindSchemas.MetaController(Symbols));

        foreach (var seed in Enumerable.Range(1, 4))
        {
            var text = await Ask(chat, seed, temperature: 1.0);

            var (answer, problem) = MindAnswerReader.Read(text, Symbols);
            Assert.True(problem is null, $"seed {seed}: {problem?.Reason} {problem?.Detail} in {text}");
            Assert.Equal(Symbols, answer!.Targets.Select(t => t.Symbol));
        }
    }

    [Fact]
    public async Task Every_agent_view_answer_parses_with_its_fields_in_range()
    {
        var chat = new LocalChatCompletionService(tiny.Model, tiny.Options, MindSchemas.AgentView());

        foreach (var seed in Enumerable.Range(1, 4))
        {
            var text = await Ask(chat, seed, temperature: 1.0);

            using var view = JsonDocument.Parse(text);
            var root = view.RootElement;
            Assert.Equal(["direction", "confidence", "horizon_hours", "falsification_price", "rationale", "evidence"], root.EnumerateObject().Select(p => p.Name));
            Assert.InRange(root.GetProperty("direction").GetDouble(), -1, 1);
            Assert.InRange(root.GetProperty("confidence").GetDouble(), 0, 1);
            Assert.InRange(root.GetProperty("horizon_hours").GetInt32(), 1, 720);
            Assert.InRange(root.GetProperty("falsification_price").GetDouble(), 0, 1e9);
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("rationale").GetString()), text);
            Assert.InRange(root.GetProperty("evidence").GetArrayLength(), 0, 5);
            foreach (var e in root.GetProperty("evidence").EnumerateArray())
                Assert.InRange(e.GetProperty("value").GetDouble(), -1e6, 1e6);
        }
    }

    [Fact]
    public async Task Same_seed_gives_the_same_answers_and_other_seeds_may_differ()
    {
        var chat = new LocalChatCompletionService(tiny.Model, tiny.Options, MindSchemas.MetaController(Symbols));

        var first = new List<string>();
        var again = new List<string>();
        foreach (var seed in new[] { 11, 12, 13 }) first.Add(await Ask(chat, seed, temperature: 1.0));
        foreach (var seed in new[] { 11, 12, 13 }) again.Add(await Ask(chat, seed, temperature: 1.0));

        Assert.Equal(first, again);
        Assert.True(first.Distinct().Count() > 1, "three seeds at temperature 1 gave one answer: the seed does not reach the sampler");
    }

    [Fact]
    public async Task Schema_given_per_call_overrides_the_service_schema()
    {
        var chat = new LocalChatCompletionService(tiny.Model, tiny.Options, MindSchemas.AgentView());
        var settings = new PromptExecutionSettings
        {
            ExtensionData = new Dictionary<string, object>
            {
                [LocalChatCompletionService.SchemaKey] = """{"type":"object","properties":{"side":{"enum":["buy","sell"]}},"required":["side"]}""",
                ["seed"] = 3,
                ["temperature"] = 1.0,
            },
        };

        var reply = await chat.GetChatMessageContentAsync(History(), settings);

        Assert.Contains(reply.Content, new[] { """{"side":"buy"}""", """{"side":"sell"}""" });
        Assert.Equal(Path.GetFileNameWithoutExtension(tiny.File), reply.ModelId);
    }

    [Fact]
    public async Task Streaming_yields_the_same_text_as_one_answer()
    {
        var chat = new LocalChatCompletionService(tiny.Model, tiny.Options, MindSchemas.MetaController(Symbols));
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["seed"] = 5, ["temperature"] = 1.0 } };

        var whole = (await chat.GetChatMessageContentAsync(History(), settings)).Content;
        var pieces = new List<string>();
        await foreach (var piece in chat.GetStreamingChatMessageContentsAsync(History(), settings)) pieces.Add(piece.Content ?? "");

        Assert.True(pieces.Count > 1);
        Assert.Equal(whole, string.Concat(pieces));
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_an_error_naming_the_model_and_the_key()
    {
        var chat = new LocalChatCompletionService(tiny.Model, tiny.Options, MindSchemas.MetaController(Symbols));
        var history = new ChatHistory();
        history.AddUserMessage(new string('x', tiny.Options.ContextSize + 10)); // one byte token per character

        var error = await Assert.ThrowsAsync<LocalModelException>(() => chat.GetChatMessageContentAsync(history));

        Assert.Contains(tiny.File, error.Message);
        Assert.Contains("AgentFirm:Minds:Local:ContextSize", error.Message);
    }

    [Fact]
    public void Missing_file_is_an_error_naming_the_key_and_the_path()
    {
        var options = new LocalModelOptions { ModelPath = "no-such-model.gguf" };

        var error = Assert.Throws<InvalidOperationException>(() => LocalModel.Load(options, tiny.Folder));

        Assert.Contains("AgentFirm:Minds:Local:ModelPath", error.Message);
        Assert.Contains(tiny.PathOf("no-such-model.gguf"), error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Theory]
    [InlineData("garbage", "GGUF magic")]
    [InlineData("truncated-metadata", "truncated")]
    [InlineData("truncated-weights", "truncated")]
    public void Corrupt_file_is_an_error_naming_the_path_and_the_problem(string kind, string problem)
    {
        var path = tiny.PathOf($"{kind}.gguf");
        var bytes = File.ReadAllBytes(tiny.File);
        File.WriteAllBytes(path, kind switch
        {
            "garbage" => [.. "not a model, just text"u8],
            "truncated-metadata" => bytes[..200],
            _ => bytes[..(bytes.Length - 4096)],
        });

        var error = Assert.Throws<InvalidOperationException>(() => LocalModel.Load(new LocalModelOptions { ModelPath = path }, tiny.Folder));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void File_that_llama_cpp_refuses_after_the_header_check_is_an_error_naming_the_path()
    {
        // A sound GGUF whose architecture llama.cpp does not know: the header check passes, the load must not.
        var path = tiny.PathOf("unknown-arch.gguf");
        var gguf = new GgufWriter();
        gguf.Add("general.architecture", "no-such-architecture");
        gguf.AddTensor("token_embd.weight", [8, 8], s => s.Fill(0.5f));
        gguf.Write(path);

        var error = Assert.Throws<LocalModelException>(() => LocalModel.Load(new LocalModelOptions { ModelPath = path }, tiny.Folder));

        Assert.Contains(path, error.Message);
    }

    private static async Task<string> Ask(LocalChatCompletionService chat, int seed, double temperature)
    {
        var settings = new PromptExecutionSettings { ExtensionData = new Dictionary<string, object> { ["seed"] = seed, ["temperature"] = temperature } };
        var reply = await chat.GetChatMessageContentAsync(History(), settings);
        return reply.Content ?? "";
    }

    private static ChatHistory History()
    {
        var history = new ChatHistory();
        history.AddSystemMessage("You are the meta-controller of a trading firm. Answer in JSON.");
        history.AddUserMessage("ASSET_1 quant direction 0.20 confidence 0.50; ASSET_2 quant direction -0.10 confidence 0.40.");
        return history;
    }
}

/// <summary>llama.cpp's own log goes through our callback (set before the first native call), never straight to stderr.</summary>
[Collection(TinyModelCollection.Name)]
public sealed class LlamaLogTests(TinyModel tiny)
{
    [Fact]
    public void Llama_cpp_log_lines_of_a_model_load_reach_the_logger()
    {
        var logs = new LogSink();

        using (LocalModel.Load(tiny.Options, tiny.Folder, logs.For<LocalModel>())) { }

        // A load logs the file's metadata and tensor layout (dozens of lines); with no callback they would be on stderr.
        Assert.Contains(logs.Lines, l => l.Text.Contains("llama.cpp:", StringComparison.Ordinal) && l.Text.Contains("llama", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }
}
