using System.Globalization;
using AgentFirm.Llm.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AgentFirm.Llm;

/// <summary>
/// One role's way to a model: an OpenAI-compatible chat completions endpoint through Semantic Kernel, behind the
/// run's cassettes and cost meter. A call is answered from the cassettes when the mode allows (record, replay),
/// else asked with retries, back-off and a breaker for a dead endpoint, then recorded (record mode). Every
/// answered call is priced and counted under its role. Failures come back as a <see cref="FallbackReason"/>
/// (the mind falls back), except a replay miss, which throws <see cref="CassetteMissException"/>: a replay that
/// cannot be reproduced must stop, not quietly become another run. The API key is never logged.
/// With a <see cref="LocalModel"/> the same calls go to the embedded model instead, its answer held to the request's
/// JSON schema by a grammar (the schema is part of the request, so of its cassette key).
/// </summary>
public sealed class ChatModel : IDisposable
{
    public const string Provider = "openai-compatible";
    public const string LocalProvider = "llamasharp";
    private const string SchemaFormat = "json_schema ";
    private readonly LlmOptions _options;
    private readonly ILogger _logger;
    private readonly CassetteStore? _cassettes;
    private readonly LlmCosts _costs;
    private readonly IChatCompletionService _chat;
    private readonly Kernel _kernel;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly LocalModel? _local;
    // After this many steps in a row that used every try and still failed, the endpoint is taken as down:
    // one try per step (no back-off waits) until a call succeeds again. A dead endpoint then costs a
    // backtest one failed call per step, not MaxAttempts calls and the back-off.
    private const int ExhaustedStepsBeforeSingleTry = 3;
    private int _exhaustedSteps;

    /// <param name="httpClient">Optional; its own timeout should be at least <see cref="LlmOptions.Timeout"/>.</param>
    /// <param name="local">The embedded model to ask instead of an endpoint (owned: disposed with this); needs <see cref="LlmOptions.Local"/>.</param>
    public ChatModel(LlmOptions options, string model, ILogger logger, MindStats stats, CassetteStore? cassettes = null,
        LlmCosts? costs = null, HttpClient? httpClient = null, LocalModel? local = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        _options = options;
        Model = model;
        _logger = logger;
        Stats = stats;
        _cassettes = cassettes;
        _costs = costs ?? LlmCosts.None;
        if (options.EffectiveMode != LlmMode.Live && cassettes is null)
            throw new InvalidOperationException($"{LlmOptions.Section}:Mode {options.EffectiveMode} needs a cassette file.");
        _ownsHttp = httpClient is null;
        // Our own timeout (a linked token) decides; the HttpClient's must not cut in first.
        _http = httpClient ?? new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        // Local servers need no key, but the OpenAI client insists on a non-empty credential. A replay has
        // neither endpoint nor key and never reaches the client: it gets a placeholder that cannot resolve.
        var apiKey = string.IsNullOrEmpty(options.ApiKey) ? "no-key" : options.ApiKey;
        var endpoint = options.Endpoint ?? new Uri("http://replay.invalid/v1");
        // SKEXP0010: the custom-endpoint overload is marked experimental; it is the one that reaches
        // non-OpenAI servers. Given our HttpClient, SK also switches off the client's own retries: ours
        // decide, at most MaxAttempts calls per step, each bounded by Timeout.
        _local = local;
        var builder = Kernel.CreateBuilder();
        if (local is not null)
            builder.Services.AddSingleton<IChatCompletionService>(new LocalChatCompletionService(local,
                options.Local ?? throw new InvalidOperationException($"{LocalModelOptions.Section}: the local model's settings are missing.")));
#pragma warning disable SKEXP0010
        else builder.AddOpenAIChatCompletion(model, endpoint, apiKey, httpClient: _http);
#pragma warning restore SKEXP0010
        _kernel = builder.Build();
        _chat = _kernel.GetRequiredService<IChatCompletionService>();
    }

    public string Model { get; }
    public MindStats Stats { get; }

    /// <summary>
    /// The request for <paramref name="messages"/> with the prompt's model settings over the configured ones. An
    /// endpoint is asked for a JSON object; the embedded model is held to <paramref name="schema"/> when given.
    /// </summary>
    public ModelRequest Request(PromptSettings prompt, IReadOnlyList<ChatTurn> messages, string? schema = null) =>
        new(_local is null ? Provider : LocalProvider, Model, prompt.Temperature ?? _options.Temperature, prompt.MaxTokens ?? _options.MaxTokens,
            _local is not null && schema is not null ? SchemaFormat + schema : "json_object", messages, []);

    /// <summary>
    /// One call for <paramref name="role"/> at <paramref name="decisionTime"/>: from the cassettes or the model,
    /// priced and counted. Null reply with the reason when it failed (budget spent, HTTP error, timeout, cancelled).
    /// </summary>
    public async Task<(ModelReply? Reply, FallbackReason? Failure, string Detail)> AskAsync(
        string role, string promptVersion, DateTimeOffset decisionTime, ModelRequest request, CancellationToken ct)
    {
        if (!_costs.Allows(decisionTime))
            return (null, FallbackReason.BudgetExhausted, string.Create(CultureInfo.InvariantCulture, $"the run's LLM budget ${_costs.Budget} is spent"));
        Stats.RecordPrompt(promptVersion);
        var key = request.Key();
        var mode = _options.EffectiveMode;
        if (mode != LlmMode.Live)
        {
            Cassette? recorded;
            try
            {
                recorded = await _cassettes!.TryGetAsync(key, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException && mode == LlmMode.Record)
            {
                _logger.LogWarning("LLM cassettes {Path} unreadable ({Error}); asking the model", _cassettes!.Path, e.GetType().Name);
                recorded = null;
            }
            if (recorded is not null)
            {
                Stats.RecordCacheHit();
                Stats.RecordTokens(recorded.Reply.InputTokens, recorded.Reply.OutputTokens);
                _costs.Record(role, decisionTime, Model, recorded.Reply.InputTokens, recorded.Reply.OutputTokens);
                return (recorded.Reply, null, "");
            }
            if (mode == LlmMode.Replay)
            {
                var miss = string.Create(CultureInfo.InvariantCulture,
                    $"--llm replay: no recorded answer for the {role} call at {decisionTime.ToUniversalTime():O} (prompt {promptVersion}, model {Model}, request {key[..16]}) in {_cassettes!.Path}; record it with --llm record");
                _cassettes.RecordMiss(miss);
                throw new CassetteMissException(miss);
            }
        }
        var (reply, failure, detail) = await CallWithRetriesAsync(request, ct).ConfigureAwait(false);
        if (reply is null) return (null, failure, detail);
        Stats.RecordTokens(reply.InputTokens, reply.OutputTokens);
        _costs.Record(role, decisionTime, Model, reply.InputTokens, reply.OutputTokens);
        if (mode == LlmMode.Record)
        {
            try
            {
                await _cassettes!.PutAsync(new Cassette(key, Model, request.CanonicalJson(), reply), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException && !ct.IsCancellationRequested)
            {
                // The decision can go on; the recording cannot be complete, and says so.
                Stats.RecordUnrecorded();
                _logger.LogWarning("LLM cassettes {Path}: could not record a call ({Error}); a replay of this run will miss it", _cassettes!.Path, e.GetType().Name);
            }
        }
        return (reply, null, "");
    }

    /// <summary>
    /// The chat completion with up to <see cref="LlmOptions.MaxAttempts"/> tries: a transient failure (the
    /// connection closed, 408, 429, 5xx, no answer within <see cref="LlmOptions.Timeout"/>) is tried again after
    /// an exponential back-off; anything else (401, 400, the caller cancelling) ends at once. Failures come back
    /// as the last try's reason, not as an exception.
    /// </summary>
    private async Task<(ModelReply? Reply, FallbackReason? Failure, string Detail)> CallWithRetriesAsync(ModelRequest request, CancellationToken ct)
    {
        var history = new ChatHistory();
        foreach (var turn in request.Messages)
            history.AddMessage(turn.Role switch { "system" => AuthorRole.System, "assistant" => AuthorRole.Assistant, _ => AuthorRole.User }, turn.Content);
        var settings = new OpenAIPromptExecutionSettings
        {
            ModelId = request.Model,
            Temperature = request.Temperature,
            MaxTokens = request.MaxTokens,
            ResponseFormat = _local is null ? request.ResponseFormat : null,
        };
        if (_local is not null && request.ResponseFormat.StartsWith(SchemaFormat, StringComparison.Ordinal))
            settings.ExtensionData = new Dictionary<string, object> { [LocalChatCompletionService.SchemaKey] = request.ResponseFormat[SchemaFormat.Length..] };
        var maxAttempts = Volatile.Read(ref _exhaustedSteps) >= ExhaustedStepsBeforeSingleTry ? 1 : _options.MaxAttempts;
        for (var attempt = 1; ; attempt++)
        {
            var (reply, failure, detail, transient) = await AskOnceAsync(history, settings, ct).ConfigureAwait(false);
            if (failure is null) Volatile.Write(ref _exhaustedSteps, 0);
            else if (transient && attempt >= maxAttempts) Interlocked.Increment(ref _exhaustedSteps);
            if (failure is null || !transient || attempt >= maxAttempts)
                return (reply, failure, attempt > 1 && failure is not null ? $"{detail} (after {attempt} tries)"
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
    private async Task<(ModelReply? Reply, FallbackReason? Failure, string Detail, bool Transient)> AskOnceAsync(
        ChatHistory history, OpenAIPromptExecutionSettings settings, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.Timeout);
        try
        {
            var reply = await _chat.GetChatMessageContentAsync(history, settings, _kernel, deadline.Token).ConfigureAwait(false);
            var usage = reply.Metadata?.GetValueOrDefault("Usage") as OpenAI.Chat.ChatTokenUsage;
            return (new ModelReply(reply.Content ?? "", usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0), null, "", false);
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
        catch (Exception e) when (_local is not null)
        {
            // llama.cpp's own failures (a prompt past the context, a sampling error): another try would fail the same way.
            return (null, FallbackReason.HttpError, $"local model: {e.GetType().Name}: {e.Message}", false);
        }
    }

    /// <summary>No status (the connection failed), request timeout, too many requests and server errors may pass; other statuses will not.</summary>
    private static bool IsTransient(int? status) => status is null or 408 or 429 or >= 500;

    /// <summary>Servers sometimes echo the key in an error ("Incorrect API key provided: sk-..."): cut it out.</summary>
    internal string Scrub(string text)
    {
        if (string.IsNullOrEmpty(_options.ApiKey) || string.IsNullOrEmpty(text)) return text;
        text = text.Replace(_options.ApiKey, "***", StringComparison.Ordinal);
        // Partial echoes too: any run of 8+ characters of the key.
        if (_options.ApiKey.Length >= 8)
            for (var start = 0; start + 8 <= _options.ApiKey.Length; start++)
                text = text.Replace(_options.ApiKey.Substring(start, 8), "***", StringComparison.Ordinal);
        return text;
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _local?.Dispose();
    }
}
