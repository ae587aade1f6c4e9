using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AgentFirm.Models.Sentiment.Onnx;

/// <summary>
/// A FinBERT-class sentiment model on ONNX Runtime: any BERT-family sequence classifier exported with inputs
/// input_ids, attention_mask and optionally token_type_ids, and one output of logits [batch, labels].
/// The label order comes from the export's config.json (id2label): ProsusAI/finbert and finbert-tone order
/// their labels differently, so nothing is assumed. Score = p(positive) - p(negative) in [-1, 1].
/// Batches are cut from the texts sorted by token length and padded only to their own longest member, so a
/// headline does not pay for a paragraph; the attention mask keeps padding from changing any score.
/// One inference at a time per instance (ONNX Runtime parallelises inside it with IntraOpThreads).
/// </summary>
public sealed class OnnxSentimentClassifier : ISentimentScorer, IDisposable
{
    private const string CudaProvider = "CUDAExecutionProvider";
    private readonly InferenceSession _session;
    private readonly BertInputEncoder _encoder;
    private readonly SentimentLabelMap _labels;
    private readonly OnnxSentimentOptions _options;
    private readonly string _idsInput, _maskInput;
    private readonly string? _typeInput;
    private readonly bool _int32Inputs;
    private readonly string _output;
    private readonly Lock _gate = new();

    private OnnxSentimentClassifier(InferenceSession session, BertInputEncoder encoder, SentimentLabelMap labels, IReadOnlyList<string> labelNames,
        OnnxSentimentOptions options, string executionProvider, IReadOnlyList<string> diagnostics, string modelPath)
    {
        _session = session;
        _encoder = encoder;
        _labels = labels;
        _options = options;
        Labels = labelNames;
        ExecutionProvider = executionProvider;
        Diagnostics = diagnostics;

        var inputs = session.InputMetadata;
        string Require(string name) => inputs.ContainsKey(name) ? name
            : throw new ModelLoadException(modelPath, $"has no '{name}' input (inputs: {string.Join(", ", inputs.Keys)}); expected a BERT-family sequence classifier");
        _idsInput = Require("input_ids");
        _maskInput = Require("attention_mask");
        _typeInput = inputs.ContainsKey("token_type_ids") ? "token_type_ids" : null;
        var unknown = inputs.Keys.Where(k => k != _idsInput && k != _maskInput && k != _typeInput).ToArray();
        if (unknown.Length > 0) throw new ModelLoadException(modelPath, $"has inputs this runner cannot fill: {string.Join(", ", unknown)}");
        var idsType = inputs[_idsInput].ElementDataType;
        _int32Inputs = idsType switch
        {
            TensorElementType.Int64 => false,
            TensorElementType.Int32 => true,
            _ => throw new ModelLoadException(modelPath, $"input_ids is {idsType}; expected int64 or int32"),
        };
        // transformers' exports call it "logits"; an export with extra outputs (hidden states) keeps it first otherwise.
        _output = session.OutputMetadata.ContainsKey("logits") ? "logits" : session.OutputMetadata.Keys.First();
    }

    /// <summary>The provider inference runs on: "cpu" or "cuda".</summary>
    public string ExecutionProvider { get; }

    /// <summary>Why the provider is what it is (e.g. the reason for a CUDA fallback); also logged.</summary>
    public IReadOnlyList<string> Diagnostics { get; }

    /// <summary>The model's label names in output order, as read from id2label.</summary>
    public IReadOnlyList<string> Labels { get; }

    public int MaxTokens => _encoder.MaxTokens;

    public bool UsesTokenTypeIds => _typeInput is not null;

    public static OnnxSentimentClassifier Load(string modelFolder, OnnxSentimentOptions options) => Load(modelFolder, options, null);

    /// <summary>
    /// Loads model.onnx, vocab.txt and config.json from <paramref name="modelFolder"/>. A missing or unreadable
    /// file throws <see cref="ModelLoadException"/> naming it.
    /// </summary>
    public static OnnxSentimentClassifier Load(string modelFolder, OnnxSentimentOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        logger ??= NullLogger.Instance;
        if (!Directory.Exists(modelFolder)) throw new ModelLoadException(modelFolder, "model folder does not exist");
        var modelPath = Path.Combine(modelFolder, "model.onnx");
        if (!File.Exists(modelPath)) throw new ModelLoadException(modelPath, "model.onnx is missing from the model folder");

        var config = BertModelConfig.Read(modelFolder, options);
        var labels = SentimentLabelMap.From(config.Labels, Path.Combine(modelFolder, "config.json"));
        var maxTokens = config.MaxPositions is { } p ? Math.Min(options.MaxTokens, p) : options.MaxTokens;
        var encoder = BertInputEncoder.Load(Path.Combine(modelFolder, "vocab.txt"), config.DoLowerCase, maxTokens);

        var diagnostics = new List<string>();
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            InterOpNumThreads = 1,
        };
        if (options.IntraOpThreads > 0) sessionOptions.IntraOpNumThreads = options.IntraOpThreads;
        var provider = ChooseProvider(sessionOptions, options, diagnostics, logger);

        InferenceSession session;
        try { session = new InferenceSession(modelPath, sessionOptions); }
        catch (OnnxRuntimeException e)
        {
            sessionOptions.Dispose();
            throw new ModelLoadException(modelPath, $"ONNX Runtime cannot load it: {e.Message}", e);
        }
        try
        {
            var classifier = new OnnxSentimentClassifier(session, encoder, labels, config.Labels, options, provider, diagnostics, modelPath);
            logger.LogInformation("Loaded sentiment model {Path} on {Provider} (labels {Labels}, max {MaxTokens} tokens)",
                modelPath, provider, string.Join(",", config.Labels), maxTokens);
            return classifier;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static string ChooseProvider(SessionOptions sessionOptions, OnnxSentimentOptions options, List<string> diagnostics, ILogger logger)
    {
        var wanted = options.Provider!.Value;
        if (wanted == ExecutionProviderKind.Cpu) return "cpu";
        string reason;
        var available = OrtEnv.Instance().GetAvailableProviders();
        if (available.Contains(CudaProvider))
        {
            try
            {
                sessionOptions.AppendExecutionProvider_CUDA(options.DeviceId);
                return "cuda";
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                reason = $"the CUDA provider failed to start on device {options.DeviceId}: {e.Message}";
            }
        }
        else
        {
            reason = $"this onnxruntime build has no CUDA provider (available: {string.Join(", ", available)}); install Microsoft.ML.OnnxRuntime.Gpu with CUDA and cuDNN for GPU inference";
        }
        var message = $"ExecutionProvider={options.ExecutionProvider}: running on CPU because {reason}";
        diagnostics.Add(message);
        if (wanted == ExecutionProviderKind.Cuda) logger.LogWarning("{Message}", message);
        else logger.LogInformation("{Message}", message);
        return "cpu";
    }

    public SentimentScore Score(ReadOnlySpan<char> text) => ScoreMany([text.ToString()])[0];

    public IReadOnlyList<SentimentScore> ScoreMany(IReadOnlyList<string> texts)
    {
        var probabilities = Probabilities(texts);
        var scores = new SentimentScore[texts.Count];
        for (var i = 0; i < scores.Length; i++) scores[i] = _labels.ToScore(probabilities[i]);
        return scores;
    }

    /// <summary>Softmax probabilities per text in <see cref="Labels"/> order, in input order.</summary>
    public IReadOnlyList<float[]> Probabilities(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var encoded = new int[texts.Count][];
        for (var i = 0; i < encoded.Length; i++) encoded[i] = _encoder.Encode(texts[i]);
        // Stable sort by length: batches of similar length waste little on padding.
        var order = Enumerable.Range(0, encoded.Length).OrderBy(i => encoded[i].Length).ToArray();
        var results = new float[encoded.Length][];
        lock (_gate)
        {
            for (var start = 0; start < order.Length; start += _options.BatchSize)
                RunBatch(order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start)), encoded, results);
        }
        return results;
    }

    /// <summary>Token ids as the model sees them ([CLS] ... [SEP], truncated), for inspection and tests.</summary>
    public int[] Tokenize(string text) => _encoder.Encode(text);

    private void RunBatch(ReadOnlySpan<int> members, int[][] encoded, float[][] results)
    {
        var batch = members.Length;
        var length = 0;
        foreach (var m in members) length = Math.Max(length, encoded[m].Length);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        Array.Fill(ids, _encoder.PaddingId);
        for (var b = 0; b < batch; b++)
        {
            var tokens = encoded[members[b]];
            for (var t = 0; t < tokens.Length; t++)
            {
                ids[b * length + t] = tokens[t];
                mask[b * length + t] = 1;
            }
        }
        long[] shape = [batch, length];
        var names = new List<string> { _idsInput, _maskInput };
        var values = new List<OrtValue> { Tensor(ids, shape), Tensor(mask, shape) };
        try
        {
            if (_typeInput is not null)
            {
                names.Add(_typeInput);
                values.Add(Tensor(new long[batch * length], shape)); // one segment: all type 0
            }
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, [_output]);
            var logits = outputs[0].GetTensorDataAsSpan<float>();
            var labels = _labels.Count;
            if (logits.Length != batch * labels)
                throw new InvalidOperationException($"the model returned {logits.Length} logits for {batch} texts and {labels} labels; is it a sequence classifier?");
            for (var b = 0; b < batch; b++) results[members[b]] = Softmax(logits.Slice(b * labels, labels));
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private OrtValue Tensor(long[] data, long[] shape) =>
        _int32Inputs ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, v => (int)v), shape) : OrtValue.CreateTensorValueFromMemory(data, shape);

    private static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        var p = new float[logits.Length];
        double sum = 0;
        for (var i = 0; i < p.Length; i++) sum += p[i] = (float)Math.Exp(logits[i] - max);
        for (var i = 0; i < p.Length; i++) p[i] = (float)(p[i] / sum);
        return p;
    }

    public void Dispose() => _session.Dispose();
}
