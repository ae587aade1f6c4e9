using AgentFirm.Llm.Local;
using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm;

/// <summary>How model calls meet the cassettes (<c>--llm live|record|replay</c>).</summary>
public enum LlmMode
{
    /// <summary>Ask the model; record nothing.</summary>
    Live,
    /// <summary>Answer from the cassettes where they hold the request; ask the model for the rest and store it.</summary>
    Record,
    /// <summary>Answer from the cassettes only: no endpoint, no key; a request they do not hold is an error naming it.</summary>
    Replay,
}

/// <summary>One row of the price table (AgentFirm:Llm:Prices): dollars per million tokens of a model.</summary>
public sealed record ModelPrice
{
    public string Model { get; init; } = "";
    public double InputPerMillion { get; init; }
    public double OutputPerMillion { get; init; }
}

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
public sealed record LlmOptions
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
    /// <summary>
    /// Older name of the cassette file: when set and <see cref="Mode"/> is Live, the run records into this file
    /// (answers already there are replayed), as the response cache it replaces did.
    /// </summary>
    public string? CachePath { get; init; }
    /// <summary>Live: ask the model, keep nothing. Record: replay what the cassettes hold, ask and store the rest. Replay: cassettes only, no endpoint or key; a miss is an error.</summary>
    public LlmMode Mode { get; init; } = LlmMode.Live;
    /// <summary>SQLite file of recorded model calls (permanent, keyed by request hash); relative to the working directory.</summary>
    public string CassettePath { get; init; } = "cassettes/llm.db";
    /// <summary>The model of the deep tier when a role asks for it without naming a model; <see cref="Model"/> when empty.</summary>
    public string? DeepModel { get; init; }
    /// <summary>Dollars per million input and output tokens, per model, for the run's cost lines and budget.</summary>
    public IReadOnlyList<ModelPrice> Prices { get; init; } = [];
    /// <summary>Dollars the run may spend on models; once spent every mind falls back to its offline view and says so. Null: no limit.</summary>
    public double? BudgetPerRun { get; init; }
    /// <summary>Rounds of the bull/bear debate when both researchers have a model mind (each round: bull, then bear).</summary>
    public int DebateRounds { get; init; } = 1;
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
            options = options with { ApiKey = key };
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
        if (DebateRounds is < 1 or > 5) throw Invalid("DebateRounds", "must be in [1, 5]");
        if (MaxAttempts is < 1 or > 10) throw Invalid("MaxAttempts", "must be in [1, 10]");
        if (RetryDelay < TimeSpan.Zero || RetryDelay > TimeSpan.FromMinutes(1)) throw Invalid("RetryDelay", "must be in [00:00:00, 00:01:00]");
        if (Mind == MindKind.Local)
        {
            (Local ?? throw new InvalidOperationException($"{LocalModelOptions.Section}:ModelPath is required for Mind=Local.")).Validate();
            if (string.IsNullOrWhiteSpace(PromptsFolder)) throw Invalid("PromptsFolder", "is required for Mind=Local");
        }
        if (!Enum.IsDefined(Mode)) throw Invalid("Mode", "must be Live, Record or Replay");
        if (string.IsNullOrWhiteSpace(CassettePath)) throw Invalid("CassettePath", "must name a file (e.g. cassettes/llm.db)");
        if (BudgetPerRun is { } budget && (!double.IsFinite(budget) || budget < 0)) throw Invalid("BudgetPerRun", "must be a number of dollars >= 0");
        for (var i = 0; i < Prices.Count; i++)
        {
            var p = Prices[i];
            if (string.IsNullOrWhiteSpace(p.Model)) throw Invalid($"Prices:{i}:Model", "is required");
            if (!double.IsFinite(p.InputPerMillion) || p.InputPerMillion < 0) throw Invalid($"Prices:{i}:InputPerMillion", "must be dollars >= 0");
            if (!double.IsFinite(p.OutputPerMillion) || p.OutputPerMillion < 0) throw Invalid($"Prices:{i}:OutputPerMillion", "must be dollars >= 0");
        }
        if (Mind != MindKind.OpenAI) return;
        CheckEndpoint("Mind=OpenAI");
        if (string.IsNullOrWhiteSpace(Model)) throw Invalid("Model", "is required for Mind=OpenAI");
        if (string.IsNullOrWhiteSpace(PromptsFolder)) throw Invalid("PromptsFolder", "is required for Mind=OpenAI");
    }

    /// <summary>An endpoint is needed by any OpenAI mind, except in replay, which never calls one.</summary>
    internal void CheckEndpoint(string why)
    {
        if (Mode == LlmMode.Replay) return;
        if (Endpoint is null || !Endpoint.IsAbsoluteUri) throw Invalid("Endpoint", $"is required for {why} (e.g. https://api.openai.com/v1); only --llm replay runs without one");
        if (Endpoint.Scheme is not ("http" or "https")) throw Invalid("Endpoint", "must be an http(s) URL");
    }

    /// <summary>The cassette file to use, or null in live mode without the older CachePath.</summary>
    public string? CassetteFile(string workingDirectory)
    {
        var path = Mode != LlmMode.Live ? CassettePath : CachePath;
        return string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, Path.GetFullPath(workingDirectory));
    }

    /// <summary>The mode cassettes are used in: CachePath in live mode records, as the older cache did.</summary>
    public LlmMode EffectiveMode => Mode == LlmMode.Live && !string.IsNullOrWhiteSpace(CachePath) ? LlmMode.Record : Mode;

    /// <summary>The prompts folder as an absolute path: a relative <see cref="PromptsFolder"/> against <paramref name="workingDirectory"/>.</summary>
    public string PromptsPath(string workingDirectory) => Path.GetFullPath(PromptsFolder, Path.GetFullPath(workingDirectory));

    /// <summary>
    /// For a model mind: the prompts folder must exist and hold a readable, well-formed variant of every role the
    /// mind uses, so a wrong folder is a configuration error before any data loads, not a fallback at every step.
    /// Throws naming the key, the value and the resolved path.
    /// </summary>
    public void CheckPrompts(string workingDirectory, IEnumerable<(string Role, string Variant)> prompts)
    {
        if (Mind == MindKind.Offline) return;
        CheckPromptFiles(workingDirectory, prompts, $"{Section}:PromptsFolder");
    }

    /// <summary>Loads each prompt once; a missing folder is an error of PromptsFolder, a missing or malformed file one of <paramref name="fileKey"/>.</summary>
    internal IReadOnlyList<PromptTemplate> CheckPromptFiles(string workingDirectory, IEnumerable<(string Role, string Variant)> prompts, string fileKey)
    {
        var folder = PromptsPath(workingDirectory);
        if (!Directory.Exists(folder))
            throw Invalid("PromptsFolder", $"'{PromptsFolder}' resolves to {folder}, which does not exist (relative paths are resolved against the working directory)");
        var library = new PromptLibrary(folder);
        var loaded = new List<PromptTemplate>();
        foreach (var (role, variant) in prompts)
        {
            var file = Path.Combine(role, variant + ".md");
            try
            {
                loaded.Add(library.Load(role, variant));
            }
            catch (PromptTemplateException e) when (e.InnerException is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{fileKey}: '{PromptsFolder}' resolves to {folder}, which has no readable {file} ({e.InnerException.GetType().Name}).");
            }
            catch (PromptTemplateException e)
            {
                throw new InvalidOperationException($"{fileKey}: {file} in {folder} is not a valid prompt: {e.Message}");
            }
        }
        return loaded;
    }

    public override string ToString() =>
        $"Mind={Mind}, Endpoint={Endpoint}, Model={Model}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")}, " +
        $"Timeout={Timeout}, MaxTokens={MaxTokens}, Temperature={Temperature}, MaxDeviation={MaxDeviation}, " +
        $"MaxAttempts={MaxAttempts}, Anonymise={Anonymise}, Mode={EffectiveMode}, Cassettes={(EffectiveMode == LlmMode.Live ? "off" : Mode == LlmMode.Live ? CachePath : CassettePath)}";

    internal static InvalidOperationException Invalid(string key, string problem) =>
        new($"{Section}:{key} {problem}.");
}
