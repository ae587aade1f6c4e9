namespace AgentFirm.Models.Forecasting;

/// <summary>Out-of-sample scores of directional forecasts.</summary>
public static class ForecastMetrics
{
    /// <summary>
    /// Area under the ROC curve by the Mann-Whitney U statistic (ties count half): the probability that a random
    /// positive scores above a random negative. NaN when one class is absent.
    /// </summary>
    public static double Auc(IReadOnlyList<double> scores, IReadOnlyList<double> labels)
    {
        if (scores.Count != labels.Count) throw new ArgumentException("scores and labels differ in length");
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        // Average ranks (1-based) over tied scores.
        var ranks = new double[order.Length];
        for (var a = 0; a < order.Length;)
        {
            var b = a;
            while (b + 1 < order.Length && scores[order[b + 1]] == scores[order[a]]) b++;
            var rank = (a + b) / 2.0 + 1;
            for (var k = a; k <= b; k++) ranks[order[k]] = rank;
            a = b + 1;
        }
        double positives = 0, rankSum = 0;
        for (var i = 0; i < labels.Count; i++)
            if (labels[i] > 0.5) { positives++; rankSum += ranks[i]; }
        var negatives = labels.Count - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>Share of forecasts on the right side of <paramref name="threshold"/>.</summary>
    public static double Accuracy(IReadOnlyList<double> scores, IReadOnlyList<double> labels, double threshold = 0.5)
    {
        if (scores.Count != labels.Count) throw new ArgumentException("scores and labels differ in length");
        if (scores.Count == 0) return double.NaN;
        var right = 0;
        for (var i = 0; i < scores.Count; i++)
            if ((scores[i] > threshold) == (labels[i] > 0.5)) right++;
        return right / (double)scores.Count;
    }
}
