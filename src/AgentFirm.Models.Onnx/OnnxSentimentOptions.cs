using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment.Onnx;

/// <summary>
/// Settings of the ONNX sentiment runner. Plain settable properties, so the sentiment section binds to it
/// beside its Model key (<c>configuration.GetSection(OnnxSentimentOptions.Section).Bind(options)</c>, or
/// <c>AgentFirm__Sentiment__IntraOpThreads=2</c> from the environment).
/// </summary>
public sealed class OnnxSentimentOptions
{
    public const string Section = "AgentFirm:Sentiment";

    /// <summary>auto (CUDA when this onnxruntime build has it, else CPU), cpu, or cuda (CPU with a logged reason when unavailable).</summary>
    public string ExecutionProvider { get; set; } = "auto";

    /// <summary>Threads one inference may use; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; set; }

    /// <summary>Longest input in tokens, [CLS] and [SEP] included; longer texts are truncated (FinBERT was trained at 512, headlines need ~64).</summary>
    public int MaxTokens { get; set; } = 128;

    /// <summary>Texts per inference call; batches are cut from texts sorted by length, padded to their longest member.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>CUDA device ordinal when the CUDA provider is used.</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// Label names in output order, comma-separated, for exports whose config.json lacks usable id2label names
    /// (LABEL_0, ...). Empty: read from config.json, which is the normal case.
    /// </summary>
    public string LabelOrder { get; set; } = "";

    /// <summary>Throws <see cref="BadInputException"/> naming the configuration key that is out of range.</summary>
    public void Validate()
    {
        if (Provider is null) throw new BadInputException($"{Section}:ExecutionProvider: '{ExecutionProvider}' is not one of auto, cpu, cuda");
        if (IntraOpThreads < 0) throw new BadInputException($"{Section}:IntraOpThreads: {IntraOpThreads} must be >= 0 (0 = ONNX Runtime's choice)");
        if (MaxTokens < 3) throw new BadInputException($"{Section}:MaxTokens: {MaxTokens} must be >= 3 ([CLS], one token, [SEP])");
        if (BatchSize < 1) throw new BadInputException($"{Section}:BatchSize: {BatchSize} must be >= 1");
        if (DeviceId < 0) throw new BadInputException($"{Section}:DeviceId: {DeviceId} must be >= 0");
    }

    internal ExecutionProviderKind? Provider => ExecutionProvider.Trim().ToLowerInvariant() switch
    {
        "auto" or "" => ExecutionProviderKind.Auto,
        "cpu" => ExecutionProviderKind.Cpu,
        "cuda" or "gpu" => ExecutionProviderKind.Cuda,
        _ => null,
    };
}

internal enum ExecutionProviderKind { Auto, Cpu, Cuda }

/// <summary>A model folder that cannot be used: missing, unreadable or not a sequence classifier. Names the path.</summary>
public sealed class ModelLoadException : BadInputException
{
    public ModelLoadException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}")
    {
        ModelPath = path;
        if (inner is not null) InnerCause = inner;
    }

    public string ModelPath { get; }

    /// <summary>The runtime's own error, when there was one (BadInputException has no inner-exception constructor).</summary>
    public Exception? InnerCause { get; }
}
