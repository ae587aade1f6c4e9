using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment;

public enum SentimentModelKind { Lexicon, Trained, Onnx }

/// <summary>
/// Loads an exported transformer model folder (model.onnx, vocab.txt, config.json). The FinBERT runner lives in
/// its own project (AgentFirm.Models.Onnx, which references this one), so hosts that ship it hand its loader in.
/// </summary>
public delegate ISentimentScorer OnnxScorerLoader(string modelFolder);

/// <summary>
/// Which scorer to use, as the CLI and the config spell it: <c>lexicon</c>, <c>trained:PATH</c> (a folder
/// written by <c>agentfirm sentiment train</c>) or <c>onnx:DIR</c> (an exported FinBERT-class model folder).
/// </summary>
public sealed record SentimentModelSpec(SentimentModelKind Kind, string? Path)
{
    public static SentimentModelSpec Lexicon { get; } = new(SentimentModelKind.Lexicon, null);

    public static SentimentModelSpec Parse(string? spec)
    {
        var s = spec?.Trim() ?? "";
        if (s.Length == 0 || s.Equals("lexicon", StringComparison.OrdinalIgnoreCase)) return Lexicon;
        var colon = s.IndexOf(':');
        if (colon > 0)
        {
            var kind = s[..colon].ToLowerInvariant();
            var path = s[(colon + 1)..].Trim();
            if (path.Length == 0) throw new BadInputException($"Sentiment model '{s}' names no path: use {kind}:PATH.");
            if (kind == "trained") return new SentimentModelSpec(SentimentModelKind.Trained, path);
            if (kind == "onnx") return new SentimentModelSpec(SentimentModelKind.Onnx, path);
        }
        throw new BadInputException($"Sentiment model '{s}' is not one of lexicon, trained:PATH, onnx:DIR.");
    }

    /// <summary>Whether texts should have their slang decoded before this model reads them (models trained on plain finance text).</summary>
    public bool WantsDecodedSlang => Kind != SentimentModelKind.Lexicon;

    public override string ToString() => Kind switch
    {
        SentimentModelKind.Lexicon => "lexicon",
        SentimentModelKind.Trained => $"trained:{Path}",
        _ => $"onnx:{Path}",
    };

    /// <summary>Loads the scorer; a missing or unreadable model is a BadInputException naming the file.</summary>
    /// <param name="onnx">The FinBERT runner's loader; without one an onnx: model is refused with a clear message.</param>
    public ISentimentScorer Load(OnnxScorerLoader? onnx = null) => Kind switch
    {
        SentimentModelKind.Lexicon => new LexiconSentimentScorer(),
        SentimentModelKind.Trained => TrainedSentimentModel.Load(Path!),
        _ => onnx is not null
            ? onnx(Path!)
            : throw new BadInputException($"Sentiment model onnx:{Path} needs the FinBERT runner's loader (AgentFirm.Models.Onnx); the host passes OnnxSentimentModels.Loader."),
    };
}
