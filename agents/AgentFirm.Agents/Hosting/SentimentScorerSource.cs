using AgentFirm.Models.Sentiment;

namespace AgentFirm.Agents.Hosting;

/// <summary>
/// The silo's one sentiment model (AgentFirm:Sentiment:Model), loaded on first use and shared by every
/// sentiment grain: trained and ONNX models are large and safe to call concurrently.
/// </summary>
public sealed class SentimentScorerSource(SentimentAgentSettings settings, OnnxScorerLoader? onnx = null)
{
    private readonly Lazy<ISentimentScorer> _scorer = new(() => settings.ModelSpec.Load(onnx), LazyThreadSafetyMode.ExecutionAndPublication);

    public SentimentAgentSettings Settings { get; } = settings;

    public ISentimentScorer Scorer => _scorer.Value;
}
