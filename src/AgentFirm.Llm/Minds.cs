using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm;

/// <summary>Builds the mind the options ask for: the offline mind by default, a Semantic Kernel mind for an endpoint.</summary>
public static class Minds
{
    /// <param name="contentRoot">Folder that relative PromptsFolder and CachePath are resolved against.</param>
    public static IMind Create(LlmOptions options, ILoggerFactory loggers, string contentRoot, MindStats? stats = null,
        HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        if (options.Mind == MindKind.Offline) return new OfflineMind();
        var prompts = new PromptLibrary(Path.Combine(contentRoot, options.PromptsFolder));
        var cache = string.IsNullOrWhiteSpace(options.CachePath)
            ? null
            : new ResponseCache(Path.Combine(contentRoot, options.CachePath), loggers.CreateLogger<ResponseCache>());
        var logger = loggers.CreateLogger<SemanticKernelMind>();
        logger.LogInformation("LLM mind: {Options}", options); // ToString hides the key
        return new SemanticKernelMind(options, prompts, logger, cache, stats, httpClient);
    }
}
