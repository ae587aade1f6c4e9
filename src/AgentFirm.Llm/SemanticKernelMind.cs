using System.Globalization;
using AgentFirm.Llm.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AgentFirm.Llm;

/// <summary>
/// The meta-controller's synthesis by a model behind any OpenAI-compatible chat completions endpoint, through
/// Semantic Kernel. The model sees the numbers (anonymised by default) and untrusted headlines fenced as data;
/// its JSON answer is validated strictly and bounded by <see cref="LlmOptions.MaxDeviation"/>. Anything that
/// goes wrong (HTTP error, timeout, cancellation, invalid answer) leaves the quantitative decision standing,
/// retried when transient, then counted in <see cref="Stats"/>. The API key is never logged and is scrubbed from error text.
/// </summary>
public sealed class SemanticKernelMind : IMind, IDisposable
{
    private readonly LlmOptions _options;
    private readonly PromptLibrary _prompts;
    private readonly ResponseCache? _cache;
    private readonly ILogger<SemanticKernelMind> _logger;
    private readonly IChatCompletionService _chat;
    private readonly Kernel _kernel;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private const int WarningsPerReason = 3;
    // After this many steps in a row that used every try and still failed, the endpoint is taken as down:
    // one try per step (no back-off waits) until a call succeeds again. A dead endpoint then costs a
    // backtest one failed call per step, not MaxAttempts calls and the back-off.
    private const int ExhaustedStepsBeforeSingleTry = 3;
    private int _exhaustedSteps;
    private readonly string _model;
    private readonly LocalModel? _local;

    /// <param name="httpClient">Optional; its own timeout should be at least <see cref="LlmOptions.Timeout"/>.</param>
    public SemanticKernelMind(LlmOptions options, PromptLibrary prompts, ILogger<SemanticKernelMind> logger,
        ResponseCache? cache = null, MindStats? stats = null, HttpClient? httpClient = null, LocalModel? localModel = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var local = options.Mind == MindKind.Local && localModel is not null && options.Local is not null;
        if (!local && (options.Mind != MindKind.OpenAI || options.Endpoint is null || string.IsNullOrWhiteSpace(options.Model)))
            throw new InvalidOperationException($"{LlmOptions.Section}: SemanticKernelMind needs Mind=OpenAI with Endpoint and Model, or Mind=Local with a loaded model.");
        _options = options;
        _prompts = prompts;
        _logger = logger;
        _cache = cache;
        Stats = stats ?? new MindStats();
        _ownsHttp = httpClient is null;
        // Our own timeout (a linked token) decides; the HttpClient's must not cut in first.
        _http = httpClient ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        // Local servers need no key, but the OpenAI client insists on a non-empty credential.
        var apiKey = string.IsNullOrEmpty(options.ApiKey) ? "no-key" : options.ApiKey;
        // SKEXP0010: the custom-endpoint overload is marked experimental; it is the one that reaches
        // non-OpenAI servers. Given our HttpClient, SK also switches off the client's own retries: ours
        // (AskAsync) decide, at most MaxAttempts calls per step, each bounded by Timeout.
        _model = local ? options.Model ?? localModel!.ModelId : options.Model!;
        _local = local ? localModel : null;
        var builder = Kernel.CreateBuilder();
        // Mind=Local: the embedded model as the kernel's chat service; each call passes its answer schema (Settings).
        if (_local is not null) builder.Services.AddSingleton<IChatCompletionService>(new LocalChatCompletionService(_local, options.Local!));
#pragma warning disable SKEXP0010
        else builder.AddOpenAIChatCompletion(options.Model!, options.Endpoint!, apiKey, httpClient: _http);
#pragma warning restore SKEXP0010
        _kernel = builder.Build();
        _chat = _kernel.GetRequiredService<IChatCompletionService>();
    }

    public MindStats Stats { get; }

    public async Task<MindDecision> SynthesiseAsync(SynthesisRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        Stats.RecordCall();
        var quant = request.QuantTargets.Select(t => t.Sanitised()).ToArray();
        var anonymiser = PromptAnonymiser.For(request, _options.Anonymise);

        RenderedPrompt prompt;
        try
        {
            var template = await _prompts.LoadAsync(MetaControllerPrompt.Role, ct).ConfigureAwait(false);
            prompt = template.Render(MetaControllerPrompt.Values(request, anonymiser, _options.MaxHeadlines));
        }
        catch (PromptTemplateException e)
        {
            return Fallback(request, quant, FallbackReason.PromptError, e.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Fallback(request, quant, FallbackReason.Cancelled, "cancelled before the call");
        }

        var settings = new OpenAIPromptExecutionSettings
        {
            ModelId = _model,
            Temperature = _options.Temperature,
            MaxTokens = _options.MaxTokens,
            ResponseFormat = "json_object",
        };
        if (_local is not null)
            settings.ExtensionData = new Dictionary<string, object> { [LocalChatCompletionService.SchemaKey] = MindSchemas.MetaController(quant.Select(t => anonymiser.Symbol(t.Symbol)).ToArray()) };
        var key = ResponseCache.KeyOf(_model, prompt, SettingsText(settings));

        string? answerText = null;
        var fromCache = false;
        if (_cache is not null)
        {
            answerText = await TryCacheAsync(() => _cache.TryGetAsync(key, ct), ct).ConfigureAwait(false);
            fromCache = answerText is not null;
        }
        if (answerText is null)
        {
            var (text, failure, detail) = await AskAsync(prompt, settings, ct).ConfigureAwait(false);
            if (failure is { } reason) return Fallback(request, quant, reason, detail);
            answerText = text;
        }

        var symbols = quant.Select(t => anonymiser.Symbol(t.Symbol)).ToArray();
        var (answer, problem) = MindAnswerReader.Read(answerText, symbols);
        if (problem is not null) return Fallback(request, quant, problem.Reason, problem.Detail);

        if (fromCache) Stats.RecordCacheHit();
        else if (_cache is not null) await TryCacheAsync(async () => { await _cache.PutAsync(key, _model, answerText!, ct).ConfigureAwait(false); return ""; }, ct).ConfigureAwait(false);

        var (targets, bounded) = Bound(quant, answer!, anonymiser);
        if (bounded)
        {
            // Counted and shown in the run's summary; per step it is only debug detail.
            Stats.RecordBounded();
            _logger.LogDebug("LLM mind at {DecisionTime:O}: answer moved a target by more than MaxDeviation {MaxDeviation}; bounded",
                request.DecisionTime, _options.MaxDeviation);
        }
        Stats.RecordSuccess();
        return new MindDecision(request.DecisionTime, targets, anonymiser.Restore(answer!.Rationale), MindSource.Mind, Bounded: bounded);
    }

    /// <summary>
    /// The chat completion with up to <see cref="LlmOptions.MaxAttempts"/> tries: a transient failure (the
    /// connection closed, 408, 429, 5xx, no answer within <see cref="LlmOptions.Timeout"/>) is tried again after
    /// an exponential back-off; anything else (401, 400, the caller cancelling) ends at once. Failures come back
    /// as the last try's reason, not as an exception.
    /// </summary>
    private async Task<(string? Text, FallbackReason? Failure, string Detail)> AskAsync(
        RenderedPrompt prompt, OpenAIPromptExecutionSettings settings, CancellationToken ct)
    {
        var history = new ChatHistory();
        history.AddSystemMessage(prompt.System);
        history.AddUserMessage(prompt.User);
        var maxAttempts = Volatile.Read(ref _exhaustedSteps) >= ExhaustedStepsBeforeSingleTry ? 1 : _options.MaxAttempts;
        for (var attempt = 1; ; attempt++)
        {
            var (text, failure, detail, transient) = await AskOnceAsync(history, settings, ct).ConfigureAwait(false);
            if (failure is null) Volatile.Write(ref _exhaustedSteps, 0);
            else if (transient && attempt >= maxAttempts) Interlocked.Increment(ref _exhaustedSteps);
            if (failure is null || !transient || attempt >= maxAttempts)
                return (text, failure, attempt > 1 && failure is not null ? $"{detail} (after {attempt} tries)"
                    : failure is not null && maxAttempts < _options.MaxAttempts ? $"{detail} (one try: the endpoint failed {ExhaustedStepsBeforeSingleTry}+ steps in a row)" : detail);
            Stats.RecordRetry();
            _logger.LogDebug("LLM call failed ({Reason}: {Detail}); try {Next} of {Max}", failure, Scrub(detail), attempt + 1, _options.MaxAttempts);
            try
            {
                await Task.Delay(_options.RetryDelay * Math.Pow(2, attempt - 1), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return (null, FallbackReason.Cancelled, "the caller cancelled the call");
            }
        }
    }

    /// <summary>One call under <see cref="LlmOptions.Timeout"/>; Transient says whether another try may succeed.</summary>
    private async Task<(string? Text, FallbackReason? Failure, string Detail, bool Transient)> AskOnceAsync(
        ChatHistory history, OpenAIPromptExecutionSettings settings, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            var reply = await _chat.GetChatMessageContentAsync(history, settings, _kernel, deadline.Token).ConfigureAwait(false);
            return (reply.Content, null, "", false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return (null, FallbackReason.Cancelled, "the caller cancelled the call", false);
        }
        catch (OperationCanceledException)
        {
            return (null, FallbackReason.Timeout, $"no answer within {_options.Timeout.TotalMilliseconds:0} ms", true);
        }
        catch (HttpOperationException e) when (e.InnerException is OperationCanceledException or TimeoutException && !ct.IsCancellationRequested)
        {
            return (null, FallbackReason.Timeout, $"no answer within {_options.Timeout.TotalMilliseconds:0} ms", true);
        }
        catch (HttpOperationException e)
        {
            if (ct.IsCancellationRequested) return (null, FallbackReason.Cancelled, "the caller cancelled the call", false);
            var status = e.StatusCode is { } code ? ((int)code).ToString(CultureInfo.InvariantCulture) : "no status";
            return (null, FallbackReason.HttpError, $"HTTP {status}: {Scrub(e.Message)}", IsTransient(e.StatusCode is { } c ? (int)c : null));
        }
        catch (System.ClientModel.ClientResultException e)
        {
            if (ct.IsCancellationRequested) return (null, FallbackReason.Cancelled, "the caller cancelled the call", false);
            return (null, FallbackReason.HttpError, $"HTTP {(e.Status == 0 ? "no status" : e.Status)}: {Scrub(e.Message)}", IsTransient(e.Status == 0 ? null : e.Status));
        }
        catch (System.Text.Json.JsonException e)
        {
            // An empty or cut-off response body (a proxy or server failing mid-answer): the transport failed, not the model.
            if (ct.IsCancellationRequested) return (null, FallbackReason.Cancelled, "the caller cancelled the call", false);
            return (null, FallbackReason.HttpError, $"unreadable response body ({Scrub(e.Message)})", true);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or KernelException or InvalidOperationException)
        {
            if (ct.IsCancellationRequested) return (null, FallbackReason.Cancelled, "the caller cancelled the call", false);
            // A connection refused, reset or closed mid-answer is worth another try; a client-side misuse is not.
            return (null, FallbackReason.HttpError, $"{e.GetType().Name}: {Scrub(e.Message)}", e is HttpRequestException or IOException || e.InnerException is HttpRequestException or IOException);
        }
    }

    /// <summary>No status (the connection failed), request timeout, too many requests and server errors may pass; other statuses will not.</summary>
    private static bool IsTransient(int? status) => status is null or 408 or 429 or >= 500;

    /// <summary>The cache helps but must never stop a decision: an I/O or SQLite failure is logged and skipped.</summary>
    private async Task<string?> TryCacheAsync(Func<Task<string?>> action, CancellationToken ct)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
        {
            _logger.LogWarning("LLM response cache {Path} unavailable ({Error}); going on without it", _cache!.Path, e.GetType().Name);
            return null;
        }
    }

    /// <summary>
    /// Maps the answer back to real symbols and keeps each target within MaxDeviation of the quant target.
    /// This is a soft bound on the mind; the risk grain's limits downstream are the hard ones.
    /// </summary>
    private (AssetTarget[] Targets, bool Bounded) Bound(AssetTarget[] quant, MindAnswer answer, PromptAnonymiser anonymiser)
    {
        var byAlias = answer.Targets.ToDictionary(t => t.Symbol, StringComparer.Ordinal);
        var bounded = false;
        var result = new AssetTarget[quant.Length];
        for (var i = 0; i < quant.Length; i++)
        {
            var mind = byAlias[anonymiser.Symbol(quant[i].Symbol)];
            var direction = Within(quant[i].Direction, mind.Direction, -1, 1, ref bounded);
            var confidence = Within(quant[i].Confidence, mind.Confidence, 0, 1, ref bounded);
            result[i] = new AssetTarget(quant[i].Symbol, direction, confidence);
        }
        return (result, bounded);
    }

    private double Within(double quant, double mind, double min, double max, ref bool bounded)
    {
        const double tolerance = 1e-12;
        var moved = Math.Clamp(mind - quant, -_options.MaxDeviation, _options.MaxDeviation);
        if (Math.Abs(moved - (mind - quant)) > tolerance) bounded = true;
        return Math.Clamp(quant + moved, min, max);
    }

    private MindDecision Fallback(SynthesisRequest request, AssetTarget[] quant, FallbackReason reason, string detail)
    {
        // Every fallback is counted (the run's summary shows them by reason); the log warns for the first few
        // of each reason, so a dead endpoint is visible at once without a warning on every step.
        var count = Stats.RecordFallback(reason);
        var level = count <= WarningsPerReason ? LogLevel.Warning : LogLevel.Debug;
        _logger.Log(level, "LLM mind at {DecisionTime:O} fell back to the quant decision: {Reason} ({Detail}){More}",
            request.DecisionTime, reason, Scrub(detail), count == WarningsPerReason ? "; further fallbacks of this reason are only counted" : "");
        return new MindDecision(request.DecisionTime, quant,
            $"Quant decision kept ({reason}). {QuantRationale.For(request, quant)}", MindSource.QuantFallback, reason);
    }

    /// <summary>Servers sometimes echo the key in an error ("Incorrect API key provided: sk-..."): cut it out.</summary>
    private string Scrub(string text)
    {
        if (string.IsNullOrEmpty(_options.ApiKey) || string.IsNullOrEmpty(text)) return text;
        text = text.Replace(_options.ApiKey, "***", StringComparison.Ordinal);
        // Partial echoes too: any run of 8+ characters of the key.
        if (_options.ApiKey.Length >= 8)
            for (var start = 0; start + 8 <= _options.ApiKey.Length; start++)
                text = text.Replace(_options.ApiKey.Substring(start, 8), "***", StringComparison.Ordinal);
        return text;
    }

    private static string SettingsText(OpenAIPromptExecutionSettings s) => string.Create(CultureInfo.InvariantCulture,
        $"temperature={s.Temperature};max_tokens={s.MaxTokens};response_format={s.ResponseFormat}");

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _local?.Dispose();
    }
}
