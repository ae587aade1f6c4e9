using AgentFirm.Models.Sentiment;
using AgentFirm.Models.Sentiment.Onnx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Host;

/// <summary>
/// Wires the FinBERT runner into the host: onnx:DIR models (CLI and silo) load with the runner's options
/// bound from AgentFirm:Sentiment (ExecutionProvider, IntraOpThreads, MaxTokens, BatchSize, DeviceId, LabelOrder).
/// </summary>
public static class OnnxSentimentModels
{
    public static OnnxScorerLoader Loader(IConfiguration configuration, ILoggerFactory? loggers = null)
    {
        var options = Options(configuration);
        var logger = loggers?.CreateLogger("AgentFirm.Sentiment.Onnx");
        return folder => new OnnxProbabilisticScorer(OnnxSentimentClassifier.Load(folder, options, logger));
    }

    /// <summary>The runner's options from AgentFirm:Sentiment; a bad value is a BadInputException naming the key.</summary>
    public static OnnxSentimentOptions Options(IConfiguration configuration)
    {
        var options = new OnnxSentimentOptions();
        configuration.GetSection(OnnxSentimentOptions.Section).Bind(options);
        options.Validate();
        return options;
    }
}

/// <summary>The ONNX classifier with its probabilities in negative, neutral, positive order (0 for a label the model lacks).</summary>
internal sealed class OnnxProbabilisticScorer : IProbabilisticSentimentScorer, IDisposable
{
    private readonly OnnxSentimentClassifier _classifier;
    private readonly int[] _slots;

    public OnnxProbabilisticScorer(OnnxSentimentClassifier classifier)
    {
        _classifier = classifier;
        int Find(string name)
        {
            for (var i = 0; i < classifier.Labels.Count; i++)
                if (string.Equals(classifier.Labels[i].Trim(), name, StringComparison.OrdinalIgnoreCase)) return i;
            return -1;
        }
        _slots = [Find("negative"), Find("neutral"), Find("positive")];
    }

    public string ExecutionProvider => _classifier.ExecutionProvider;

    public SentimentScore Score(ReadOnlySpan<char> text) => _classifier.Score(text);

    public IReadOnlyList<SentimentScore> ScoreMany(IReadOnlyList<string> texts) => _classifier.ScoreMany(texts);

    public IReadOnlyList<SentimentProbabilities> ProbabilitiesMany(IReadOnlyList<string> texts) =>
        _classifier.Probabilities(texts).Select(p => new SentimentProbabilities(At(p, 0), At(p, 1), At(p, 2))).ToArray();

    private double At(float[] p, int label) => _slots[label] >= 0 ? p[_slots[label]] : 0;

    public void Dispose() => _classifier.Dispose();
}
