namespace AgentFirm.Models.Sentiment;

public enum SentimentLabel { Negative, Neutral, Positive }

/// <summary>A text's tone: a signed score in [-1, 1] and the label it rounds to.</summary>
public readonly record struct SentimentScore(double Score, SentimentLabel Label)
{
    public static SentimentScore Neutral { get; } = new(0, SentimentLabel.Neutral);

    /// <summary>The label as the shared text schema spells it: negative|neutral|positive.</summary>
    public string LabelText => Label switch
    {
        SentimentLabel.Negative => "negative",
        SentimentLabel.Positive => "positive",
        _ => "neutral",
    };
}

/// <summary>
/// Anything that turns text into a tone: the built-in lexicon now, a trained model or FinBERT later.
/// Implementations are deterministic and safe to call from one thread at a time at least.
/// </summary>
public interface ISentimentScorer
{
    SentimentScore Score(ReadOnlySpan<char> text);

    /// <summary>Scores many texts; models that batch (FinBERT) override this, the rest score one by one.</summary>
    IReadOnlyList<SentimentScore> ScoreMany(IReadOnlyList<string> texts)
    {
        var scores = new SentimentScore[texts.Count];
        for (var i = 0; i < texts.Count; i++) scores[i] = Score(texts[i].AsSpan());
        return scores;
    }
}
