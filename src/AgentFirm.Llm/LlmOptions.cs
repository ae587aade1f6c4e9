using AgentFirm.Llm.Local;
using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm;

public enum MindKind
{
    /// <summary>No model: the quantitative decision with a templated rationale (the embedded default).</summary>
    Offline,
    /// <summary>Any OpenAI-compatible chat completions endpoint (OpenAI, Azure, vLLM, llama.cpp server, Ollama).</summary>
    OpenAI,
    /// <summary>A GGUF model run in process by llama.cpp (LLamaSharp), from <c>AgentFirm:Minds:Local</c>.</summary>
    Local,
}

/// <summary>
/// Settings of the section <c>AgentFirm:Llm</c> (env: <c>AgentFirm__Llm__Endpoint</c> etc.).
/// The API key is a secret: <see cref="ToString"/> never shows it and nothing in this library logs it.
/// </summary>
public sealed class LlmOptions
{
    public const string Section = "AgentFirm:Llm";

    public MindKind Mind { get; init; } = MindKind.Offline;
    /// <summary>Base URL of the OpenAI-compatible API, including <c>/v1</c> (e.g. http://127.0.0.1:11434/v1).</summary>
    public Uri? Endpoint { get; init; }
    public string? Model { get; init; }
    /// <summary>Optional for local servers; when empty, <c>OPENAI_API_KEY</c> from configuration/env is used.</summary>
    public string? ApiKey { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxTokens { get; init; } = 800;
    /// <summary>0 by default: the synthesis should be as repeatable as the endpoint allows.</summary>
    public double Temperature { get; init; }
    /// <summary>
    /// How far the mind may move each quant direction/confidence (0 = not at all, 2 = anywhere). 0.25 by
    /// default: the quant decision is the calibrated, back-tested part of the firm, so the model may tilt it
    /// (a quarter of the direction's half-range, e.g. confidence 0.30 to at most 0.55) but not replace it;
    /// with 1.0 a model could lift a 0.03 quant confidence to full conviction on its own word.
    /// </summary>
    public double MaxDeviation { get; init; } = 0.25;
    /// <summary>
    /// Folder of the prompt templates; a relative path is resolved against the working directory (the
    /// checkout's prompts/ when run from the repository root), so an edited prompt counts on the next run.
    /// </summary>
    public string PromptsFolder { get; init; } = "prompts";
    /// <summary>Tries per decision step for transient failures (connection closed, 408, 429, 5xx, timeout); 1 = no retry.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Back-off before the second try; doubled before each later one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Hide tickers, dates and price levels from the model (on by default: backtests must not let it recall history).</summary>
    public bool Anonymise { get; init; } = true;
    /// <summary>SQLite file of cached answers (by request hash); null or empty disables the cache.</summary>
    public string? CachePath { get; init; }
    /// <summary>At most this many (most recent) headlines go into a prompt.</summary>
    public int MaxHeadlines { get; init; } = 20;
    /// <summary>For Mind=Local: the embedded model's settings, read from their own section <c>AgentFirm:Minds:Local</c> (not bound here).</summary>
    public LocalModelOptions? Local { get; internal set; }

    /// <summary>Reads <c>AgentFirm:Llm</c> from <paramref name="configuration"/> and validates it.</summary>
    public static LlmOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<LlmOptions>() ?? new LlmOptions();
        if (string.IsNullOrEmpty(options.ApiKey) && configuration["OPENAI_API_KEY"] is { Length: > 0 } key)
            options = options.With(apiKey: key);
        if (options.Mind == MindKind.Local)
        {
            // The model file is checked now (header and tensor table, not the weights): a wrong path is a
            // configuration error before any data loads, not a failure when the first decision needs the model.
            options.Local = LocalModelOptions.From(configuration);
            options.Local.CheckModelFile(Environment.CurrentDirectory);
        }
        options.Validate();
        return options;
    }

    /// <summary>Throws with the name of the offending key; never with the key's value for the API key.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero) throw Invalid("Timeout", "must be positive (e.g. 00:00:30)");
        if (MaxTokens <= 0) throw Invalid("MaxTokens", "must be positive");
        if (!double.IsFinite(Temperature) || Temperature is < 0 or > 2) throw Invalid("Temperature", "must be in [0, 2]");
        if (!double.IsFinite(MaxDeviation) || MaxDeviation is < 0 or > 2) throw Invalid("MaxDeviation", "must be in [0, 2]");
        if (MaxHeadlines < 0) throw Invalid("MaxHeadlines", "must not be negative");
        if (MaxAttempts is < 1 or > 10) throw Invalid("MaxAttempts", "must be in [1, 10]");
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(1)) throw Invalid("RetryDelay", "must be in [00:00:00, 00:01:00]");
        if (Mind == MindKind.Local)
        {
            (Local ?? throw new InvalidOperationException($"{LocalModelOptions.Section}:ModelPath is required for Mind=Local.")).Validate();
            if (string.IsNullOrWhiteSpace(PromptsFolder)) throw Invalid("PromptsFolder", "is required for Mind=Local");
        }
        if (Mind != MindKind.OpenAI) return;
        if (Endpoint is null || !Endpoint.IsAbsoluteUri) throw Invalid("Endpoint", "is required for Mind=OpenAI (e.g. https://api.openai.com/v1)");
        if (Endpoint.Scheme is not ("http" or "https")) throw Invalid("Endpoint", "must be an http(s) URL");
        if (string.IsNullOrWhiteSpace(Model)) throw Invalid("Model", "is required for Mind=OpenAI");
        if (string.IsNullOrWhiteSpace(PromptsFolder)) throw Invalid("PromptsFolder", "is required for Mind=OpenAI");
    }

    internal LlmOptions With(string? apiKey) => new()
    {
        Mind = Mind, Endpoint = Endpoint, Model = Model, ApiKey = apiKey, Timeout = Timeout, MaxTokens = MaxTokens,
        Temperature = Temperature, MaxDeviation = MaxDeviation, PromptsFolder = PromptsFolder, Anonymise = Anonymise,
        CachePath = CachePath, MaxHeadlines = MaxHeadlines, MaxAttempts = MaxAttempts, RetryDelay = RetryDelay, Local = Local,
    };

    /// <summary>The prompts folder as an absolute path: a relative <see cref="PromptsFolder"/> against <paramref name="workingDirectory"/>.</summary>
    public string PromptsPath(string workingDirectory) => Path.GetFullPath(PromptsFolder, Path.GetFullPath(workingDirectory));

    /// <summary>
    /// For a model mind: the prompts folder must exist and hold a readable template of every role the mind
    /// uses, so a wrong folder is a configuration error before any data loads, not a fallback at every step.
    /// Throws naming the key, the value and the resolved path.
    /// </summary>
    public void CheckPrompts(string workingDirectory, IEnumerable<string> roles)
    {
        if (Mind == MindKind.Offline) return;
        var folder = PromptsPath(workingDirectory);
        if (!Directory.Exists(folder))
            throw Invalid("PromptsFolder", $"'{PromptsFolder}' resolves to {folder}, which does not exist (relative paths are resolved against the working directory)");
        foreach (var role in roles)
        {
            var file = Path.Combine(folder, role + ".md");
            try
            {
                using var stream = File.OpenRead(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid("PromptsFolder", $"'{PromptsFolder}' resolves to {folder}, which has no readable {role}.md ({e.GetType().Name})");
            }
        }
    }

    public override string ToString() =>
        $"Mind={Mind}, Endpoint={Endpoint}, Model={Model}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, " +
        $"Timeout={Timeout}, MaxTokens={MaxTokens}, Temperature={Temperature}, MaxDeviation={MaxDeviation}, " +
        $"MaxAttempts={MaxAttempts}, Anonymise={Anonymise}, Cache={(string.IsNullOrEmpty(CachePath) ? "off" : CachePath)}";

    private static InvalidOperationException Invalid(string key, string problem) =>
        new($"{Section}:{key} {problem}.");
}
