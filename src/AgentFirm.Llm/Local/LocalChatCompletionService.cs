using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;
using Microsoft.SemanticKernel.Services;

namespace AgentFirm.Llm.Local;

/// <summary>
/// The embedded model as a Semantic Kernel chat service, so any SK-based mind can run on it with no server. An
/// answer is held to a JSON schema by a GBNF grammar (<see cref="JsonSchemaToGbnf"/>): the schema of the call
/// (<see cref="PromptExecutionSettings.ExtensionData"/>[<see cref="SchemaKey"/>]: JSON text, a JsonNode or a
/// JsonElement) or else the service's own; with neither the answer is free text. Seed, temperature and token
/// limit come from <see cref="OpenAIPromptExecutionSettings"/> or the extension data keys "seed", "temperature"
/// and "max_tokens", else from <see cref="LocalModelOptions"/> (temperature 0: the likeliest token).
/// </summary>
public sealed class LocalChatCompletionService : IChatCompletionService
{
    public const string SchemaKey = "json_schema";

    private readonly LocalModel _model;
    private readonly LocalModelOptions _options;
    private readonly string? _schema;
    private readonly ConcurrentDictionary<string, GbnfGrammar> _grammars = new(StringComparer.Ordinal);

    /// <param name="schema">The JSON schema every answer follows unless a call gives its own; null for free text.</param>
    public LocalChatCompletionService(LocalModel model, LocalModelOptions options, string? schema = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _schema = schema;
        if (schema is not null) GrammarOf(schema); // an unsupported schema fails here, not at the first call
        Attributes = new Dictionary<string, object?> { [AIServiceExtensions.ModelIdKey] = model.ModelId };
    }

    public IReadOnlyDictionary<string, object?> Attributes { get; }

    public async Task<IReadOnlyList<ChatMessageContent>> GetChatMessageContentsAsync(ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, CancellationToken cancellationToken = default)
    {
        var text = await _model.CompleteAsync(Messages(chatHistory), Grammar(executionSettings), Sampling(executionSettings), cancellationToken)
            .ConfigureAwait(false);
        return [new ChatMessageContent(AuthorRole.Assistant, text, _model.ModelId)];
    }

    public async IAsyncEnumerable<StreamingChatMessageContent> GetStreamingChatMessageContentsAsync(ChatHistory chatHistory,
        PromptExecutionSettings? executionSettings = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pieces = Channel.CreateUnbounded<string>();
        var generation = Task.Run(async () =>
        {
            try
            {
                await _model.CompleteAsync(Messages(chatHistory), Grammar(executionSettings), Sampling(executionSettings), cancellationToken,
                    piece => pieces.Writer.TryWrite(piece)).ConfigureAwait(false);
                pieces.Writer.TryComplete();
            }
            catch (Exception e)
            {
                pieces.Writer.TryComplete(e);
            }
        }, cancellationToken);
        await foreach (var piece in pieces.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return new StreamingChatMessageContent(AuthorRole.Assistant, piece, modelId: _model.ModelId);
        await generation.ConfigureAwait(false);
    }

    /// <summary>The grammar a schema compiles to (cached: a mind asks with the same few schemas again and again).</summary>
    public GbnfGrammar GrammarOf(string schema) => _grammars.GetOrAdd(schema, JsonSchemaToGbnf.Convert);

    private static List<LocalMessage> Messages(ChatHistory history)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Select(m => new LocalMessage(m.Role.Label, m.Content ?? "")).ToList();
    }

    private GbnfGrammar? Grammar(PromptExecutionSettings? settings)
    {
        var schema = settings?.ExtensionData?.TryGetValue(SchemaKey, out var value) == true ? SchemaText(value) : _schema;
        return schema is null ? null : GrammarOf(schema);
    }

    private LocalSampling Sampling(PromptExecutionSettings? settings)
    {
        var openAi = settings as OpenAIPromptExecutionSettings;
        var seed = openAi?.Seed ?? Extension(settings, "seed") ?? _options.Seed;
        var temperature = openAi?.Temperature ?? Extension(settings, "temperature") ?? 0;
        var maxTokens = openAi?.MaxTokens ?? Extension(settings, "max_tokens") ?? _options.MaxTokens;
        if (!double.IsFinite(temperature) || temperature is < 0 or > 2) throw new ArgumentException($"temperature {temperature} is outside [0, 2]");
        if (maxTokens < 1) throw new ArgumentException($"max_tokens {maxTokens} must be positive");
        return new LocalSampling(unchecked((int)(long)seed), (float)temperature, (int)maxTokens);
    }

    private static string? SchemaText(object? value) => value switch
    {
        null => null,
        string text => text,
        JsonNode node => node.ToJsonString(),
        JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(),
        _ => throw new ArgumentException($"{SchemaKey} must be JSON text, a JsonNode or a JsonElement, not {value.GetType().Name}"),
    };

    private static double? Extension(PromptExecutionSettings? settings, string key)
    {
        if (settings?.ExtensionData?.TryGetValue(key, out var value) != true || value is null) return null;
        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
            IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"{key} must be a number"),
        };
    }
}
