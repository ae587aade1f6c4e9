using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm;

/// <summary>Builds the mind the options ask for: the offline mind by default, a Semantic Kernel mind for an endpoint.</summary>
public static class Minds
{
    /// <summary>The prompt roles a model mind reads (one <c>{role}.md</c> each in the prompts folder).</summary>
    public static IReadOnlyList<string> PromptRoles { get; } = [MetaControllerPrompt.Role];

    /// <param name="workingDirectory">Folder that relative PromptsFolder and CachePath are resolved against (the process's working directory for the CLI).</param>
    public static IMind Create(LlmOptions options, ILoggerFactory loggers, string workingDirectory, MindStats? stats = null,
        HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        if (options.Mind == MindKind.Offline) return new OfflineMind();
        options.CheckPrompts(workingDirectory, PromptRoles);
        var prompts = new PromptLibrary(options.PromptsPath(workingDirectory));
        var cache = string.IsNullOrWhiteSpace(options.CachePath)
            ? null
            : new ResponseCache(Path.GetFullPath(options.CachePath, Path.GetFullPath(workingDirectory)), loggers.CreateLogger<ResponseCache>());
        var logger = loggers.CreateLogger<SemanticKernelMind>();
        logger.LogInformation("LLM mind: {Options}, prompts from {Prompts}", options, prompts.Folder); // ToString hides the key
        // Mind=Local: the weights load once here (seconds for a large file), so a file llama.cpp refuses fails the run at the start.
        var local = options.Mind == MindKind.Local ? Local.LocalModel.Load(options.Local!, workingDirectory, logger) : null;
        return new SemanticKernelMind(options, prompts, logger, cache, stats, httpClient, local);
    }
}
