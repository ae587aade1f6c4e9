namespace AgentFirm.Llm.Tests;

/// <summary>Prompts are read from the configured folder at every step, resolved against the working directory.</summary>
public sealed class PromptFolderTests
{
    [Fact]
    public async Task Editing_the_prompt_file_changes_the_next_call_without_a_rebuild()
    {
        using var folder = new TempFolder();
        var shipped = await File.ReadAllTextAsync(Samples.PromptFile("meta-controller"));
        Directory.CreateDirectory(folder.File("meta-controller"));
        var file = folder.File(Path.Combine("meta-controller", "baseline.md"));
        await File.WriteAllTextAsync(file, shipped);
        await using var stub = OpenAiStub.Start();
        stub.RespondWith(_ => StubReply.Completion(Samples.Answer(0.3, 0.5, -0.1, 0.4)));
        using var mind = (SemanticKernelMind)Minds.Create(Samples.Options(stub, promptsFolder: folder.Path), new LogSink().Factory(), AppContext.BaseDirectory);

        await mind.SynthesiseAsync(Samples.Request(), CancellationToken.None);
        await File.WriteAllTextAsync(file, shipped.Replace("You are the portfolio manager", "You are the cautious portfolio manager", StringComparison.Ordinal));
        await mind.SynthesiseAsync(Samples.Request(), CancellationToken.None);

        var systems = stub.Requests.Select(r => r.MessageContent("system")).ToArray();
        Assert.StartsWith("You are the portfolio manager", systems[0], StringComparison.Ordinal);
        Assert.StartsWith("You are the cautious portfolio manager", systems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_prompts_folder_is_resolved_against_the_working_directory()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "my-prompts", "meta-controller"));
        File.Copy(Samples.PromptFile("meta-controller"), Path.Combine(folder.Path, "my-prompts", "meta-controller", "baseline.md"));
        var options = new LlmOptions { Mind = MindKind.OpenAI, Endpoint = new Uri("http://127.0.0.1:9/v1"), Model = "m", PromptsFolder = "my-prompts" };

        Assert.Equal(Path.Combine(folder.Path, "my-prompts"), options.PromptsPath(folder.Path));
        options.CheckPrompts(folder.Path, Minds.PromptRoles); // does not throw
        var mind = Assert.IsType<SemanticKernelMind>(Minds.Create(options, new LogSink().Factory(), folder.Path));
        mind.Dispose();
    }

    [Theory]
    [InlineData("no-such-folder", "does not exist")]
    [InlineData("empty", "has no readable meta-controller/baseline.md")]
    public void A_missing_prompts_folder_or_file_is_a_configuration_error_naming_the_key_and_the_resolved_path(string relative, string problem)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));
        var options = new LlmOptions { Mind = MindKind.OpenAI, Endpoint = new Uri("http://127.0.0.1:9/v1"), Model = "m", PromptsFolder = relative };

        var error = Assert.Throws<InvalidOperationException>(() => Minds.Create(options, new LogSink().Factory(), folder.Path));

        Assert.StartsWith("AgentFirm:Llm:PromptsFolder", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder.Path, relative), error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_offline_mind_needs_no_prompts_folder()
    {
        using var folder = new TempFolder();
        var options = new LlmOptions { PromptsFolder = "nowhere" };

        options.CheckPrompts(folder.Path, Minds.PromptRoles);
        Assert.IsType<OfflineMind>(Minds.Create(options, new LogSink().Factory(), folder.Path));
    }
}
