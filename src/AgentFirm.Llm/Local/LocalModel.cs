using System.Text;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Sampling;
using LLama.Transformers;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm.Local;

/// <summary>One chat turn as the local model sees it (role: system, user or assistant).</summary>
public sealed record LocalMessage(string Role, string Content);

/// <summary>How one answer is sampled: the seed makes it repeatable; temperature 0 takes the likeliest token.</summary>
public sealed record LocalSampling(int Seed, float Temperature, int MaxTokens);

/// <summary>
/// A GGUF model loaded in process through LLamaSharp (llama.cpp, CPU). Each answer runs in a fresh context, so
/// answers never depend on earlier ones: the same messages, grammar and sampling give the same text. Calls are
/// serialised (one model, the CPU's cores shared by all of them).
/// </summary>
public sealed class LocalModel : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly ModelParams _parameters;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly bool _hasTemplate;
    private readonly StatelessExecutor _executor;

    private LocalModel(string file, GgufSummary summary, LLamaWeights weights, ModelParams parameters)
    {
        File = file;
        Summary = summary;
        _weights = weights;
        _parameters = parameters;
        _hasTemplate = !string.IsNullOrEmpty(summary.ChatTemplate);
        // Stateless: every InferAsync runs in a context of its own, so one executor serves all (serialised) calls.
        _executor = new StatelessExecutor(weights, parameters);
    }

    /// <summary>The model file (absolute path).</summary>
    public string File { get; }
    public GgufSummary Summary { get; }
    /// <summary>The file name without extension: what a mind records as its model.</summary>
    public string ModelId => Path.GetFileNameWithoutExtension(File);
    public long Parameters => (long)_weights.ParameterCount;
    public int ContextSize => (int)_parameters.ContextSize!.Value;

    /// <summary>
    /// Checks the file (<see cref="LocalModelOptions.CheckModelFile"/>) and loads its weights. Every failure names
    /// the path: <see cref="InvalidOperationException"/> for a missing or malformed file (a configuration error),
    /// <see cref="LocalModelException"/> when llama.cpp refuses a file that looked sound.
    /// </summary>
    public static LocalModel Load(LocalModelOptions options, string workingDirectory, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var summary = options.CheckModelFile(workingDirectory);
        var file = options.ModelFile(workingDirectory);
        LlamaNativeLog.EnsureInstalled(logger);
        var parameters = new ModelParams(file)
        {
            ContextSize = (uint)options.ContextSize,
            GpuLayerCount = 0,
        };
        if (options.Threads > 0)
        {
            parameters.Threads = options.Threads;
            parameters.BatchThreads = options.Threads;
        }
        LlamaNativeLog.TakeRecentErrors();
        try
        {
            return new LocalModel(file, summary, LLamaWeights.LoadFromFile(parameters), parameters);
        }
        catch (LoadWeightsFailedException e)
        {
            var why = LlamaNativeLog.TakeRecentErrors();
            throw new LocalModelException($"{LocalModelOptions.Section}:ModelPath: llama.cpp could not load {file}" +
                (why.Length > 0 ? $" ({why})" : " (unsupported architecture or corrupt tensors)"), e);
        }
    }

    /// <summary>The prompt text the model reads: the GGUF's own chat template when it has one, else a plain transcript.</summary>
    public string Prompt(IReadOnlyList<LocalMessage> messages)
    {
        if (_hasTemplate)
        {
            var template = new LLamaTemplate(_weights) { AddAssistant = true };
            foreach (var m in messages) template.Add(m.Role, m.Content);
            return PromptTemplateTransformer.ToModelPrompt(template);
        }
        var sb = new StringBuilder();
        foreach (var m in messages) sb.Append(m.Role).Append(": ").Append(m.Content).Append('\n');
        return sb.Append("assistant: ").ToString();
    }

    /// <summary>Tokens of <paramref name="text"/> as this model reads it (the beginning-of-text token included).</summary>
    public int CountTokens(string text) => _weights.Tokenize(text, true, true, Encoding.UTF8).Length;

    /// <summary>
    /// Generates one answer, constrained by <paramref name="grammar"/> when given. Throws <see cref="LocalModelException"/>
    /// when the prompt and answer cannot fit the context.
    /// </summary>
    public async Task<string> CompleteAsync(IReadOnlyList<LocalMessage> messages, GbnfGrammar? grammar, LocalSampling sampling,
        CancellationToken ct, Action<string>? onPiece = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(sampling);
        var prompt = Prompt(messages);
        // A grammar-bound answer needs at most one token per character it allows, plus the end token.
        var maxTokens = grammar is null ? sampling.MaxTokens : Math.Min(sampling.MaxTokens, grammar.MaxLength + 1);
        var promptTokens = CountTokens(prompt);
        if (promptTokens + maxTokens > ContextSize)
            throw new LocalModelException($"{File}: a prompt of {promptTokens} tokens plus up to {maxTokens} answer tokens does not fit the context of {ContextSize} ({LocalModelOptions.Section}:ContextSize)");

        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            using var pipeline = new DefaultSamplingPipeline
            {
                Seed = unchecked((uint)sampling.Seed),
                Temperature = sampling.Temperature,
                Grammar = grammar is null ? null : new Grammar(grammar.Text, GbnfGrammar.Root),
            };
            var inference = new InferenceParams { MaxTokens = maxTokens, SamplingPipeline = pipeline };
            var answer = new StringBuilder();
            try
            {
                await foreach (var piece in _executor.InferAsync(prompt, inference, ct).ConfigureAwait(false))
                {
                    answer.Append(piece);
                    onPiece?.Invoke(piece);
                }
            }
            catch (Exception e) when (e is LLamaDecodeError or RuntimeError)
            {
                throw new LocalModelException($"{File}: generation failed ({e.Message}) {LlamaNativeLog.TakeRecentErrors()}".TrimEnd(), e);
            }
            ct.ThrowIfCancellationRequested();
            return answer.ToString();
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose()
    {
        _weights.Dispose();
        _oneAtATime.Dispose();
    }
}
