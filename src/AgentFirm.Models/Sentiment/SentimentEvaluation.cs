namespace AgentFirm.Models.Sentiment;

/// <summary>
/// Classification quality over the three labels: accuracy, macro-F1 (the unweighted mean of per-label F1,
/// a label never predicted and never true is left out of the mean) and the confusion matrix,
/// rows = true label, columns = predicted, in the order negative, neutral, positive.
/// </summary>
public sealed record SentimentMetrics(int Count, double Accuracy, double MacroF1, int[,] Confusion, double[] F1)
{
    public static IReadOnlyList<SentimentLabel> Order { get; } = [SentimentLabel.Negative, SentimentLabel.Neutral, SentimentLabel.Positive];

    public static SentimentMetrics From(IReadOnlyList<SentimentLabel> truth, IReadOnlyList<SentimentLabel> predicted)
    {
        if (truth.Count != predicted.Count) throw new ArgumentException("Truth and predictions differ in length.");
        var confusion = new int[3, 3];
        for (var i = 0; i < truth.Count; i++) confusion[(int)truth[i], (int)predicted[i]]++;
        var correct = 0;
        for (var k = 0; k < 3; k++) correct += confusion[k, k];
        var f1 = new double[3];
        double sum = 0;
        var present = 0;
        for (var k = 0; k < 3; k++)
        {
            int tp = confusion[k, k], rowSum = 0, colSum = 0;
            for (var j = 0; j < 3; j++) { rowSum += confusion[k, j]; colSum += confusion[j, k]; }
            if (rowSum == 0 && colSum == 0) { f1[k] = double.NaN; continue; }
            f1[k] = 2.0 * tp / (rowSum + colSum); // = 2PR/(P+R)
            sum += f1[k];
            present++;
        }
        return new SentimentMetrics(truth.Count, truth.Count == 0 ? 0 : (double)correct / truth.Count, present == 0 ? 0 : sum / present, confusion, f1);
    }

    /// <summary>The share of the most common true label: what always guessing it would score.</summary>
    public double MajorityShare
    {
        get
        {
            var best = 0;
            for (var k = 0; k < 3; k++) best = Math.Max(best, Confusion[k, 0] + Confusion[k, 1] + Confusion[k, 2]);
            return Count == 0 ? 0 : (double)best / Count;
        }
    }

    public static SentimentLabel ParseLabel(string label) => label.Trim().ToLowerInvariant() switch
    {
        "negative" => SentimentLabel.Negative,
        "neutral" => SentimentLabel.Neutral,
        "positive" => SentimentLabel.Positive,
        _ => throw new ArgumentException($"'{label}' is not negative|neutral|positive."),
    };

    public static SentimentMetrics Evaluate(ISentimentScorer scorer, IReadOnlyList<(string Text, SentimentLabel Label)> items)
    {
        var scores = scorer.ScoreMany(items.Select(i => i.Text).ToList());
        return From(items.Select(i => i.Label).ToList(), scores.Select(s => s.Label).ToList());
    }
}

/// <summary>A seeded shuffle split into train and held-out parts (deterministic for a seed).</summary>
public static class HoldoutSplit
{
    public static (List<T> Train, List<T> Holdout) Split<T>(IReadOnlyList<T> items, double holdout, int seed)
    {
        if (!(holdout is >= 0 and < 1)) throw new ArgumentException($"Holdout fraction must be in [0, 1), got {holdout}.");
        var order = Enumerable.Range(0, items.Count).ToArray();
        new Random(seed).Shuffle(order);
        var cut = (int)Math.Round(items.Count * holdout);
        var held = order.Take(cut).Order().Select(i => items[i]).ToList();
        var train = order.Skip(cut).Order().Select(i => items[i]).ToList();
        return (train, held);
    }
}
