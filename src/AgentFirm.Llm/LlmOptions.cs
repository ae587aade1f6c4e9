using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm;

public enum MindKind
{
    /// <summary>No model: the quantitative decision with a templated rationale (the embedded default).</summary>
    Offline,
    /// <summary>Any OpenAI-compatible chat completions endpoint (OpenAI, Azure, vLLM, llama.cpp server, Ollama).</summary>
    OpenAI,
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
    /// <summary>How far the mind may move each quant direction/confidence (0 = not at all, 2 = anywhere).</summary>
    public double MaxDeviation { get; init; } = 1.0;
    /// <summary>Folder of the prompt templates (prompts/ at the repository root by default).</summary>
    public string PromptsFolder { get; init; } = "prompts";
    /// <summary>Hide tickers, dates and price levels from the model (on by default: backtests must not let it recall history).</summary>
    public bool Anonymise { get; init; } = true;
    /// <summary>SQLite file of cached answers (by request hash); null or empty disables the cache.</summary>
    public string? CachePath { get; init; }
    /// <summary>At most this many (most recent) headlines go into a prompt.</summary>
    public int MaxHeadlines { get; init; } = 20;

    /// <summary>Reads <c>AgentFirm:Llm</c> from <paramref name="configuration"/> and validates it.</summary>
    public static LlmOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<LlmOptions>() ?? new LlmOptions();
        if (string.IsNullOrEmpty(options.ApiKey) && configuration["OPENAI_API_KEY"] is { Length: > 0 } key)
            options = options.With(apiKey: key);
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
        CachePath = CachePath, MaxHeadlines = MaxHeadlines,
    };

    public override string ToString() =>
        $"Mind={Mind}, Endpoint={Endpoint}, Model={Model}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, " +
        $"Timeout={Timeout}, MaxTokens={MaxTokens}, Temperature={Temperature}, MaxDeviation={MaxDeviation}, " +
        $"Anonymise={Anonymise}, Cache={(string.IsNullOrEmpty(CachePath) ? "off" : CachePath)}";

    private static InvalidOperationException Invalid(string key, string problem) =>
        new($"{Section}:{key} {problem}.");
}
