using AgentFirm.Core;
using AgentFirm.Quant.Labels;
using AgentFirm.Quant.Validation;

namespace AgentFirm.Models.Forecasting;

/// <summary>
/// Bars turned into what a forecaster trains on: feature rows, labels with the bar at which each resolves,
/// and the next-bar log returns a strategy trading the forecast earns. Row t is known at bar t's close.
/// </summary>
public sealed class SupervisedData
{
    private SupervisedData(IReadOnlyList<Bar> bars, ForecastFeatures.Matrix features, LabelSet labels, double[]? weights)
    {
        Bars = bars;
        Features = features;
        Labels = labels;
        Weights = weights;
        var n = bars.Count;
        NextReturns = new double[n];
        for (var t = 0; t < n; t++) NextReturns[t] = t + 1 < n ? Math.Log(bars[t + 1].Close / bars[t].Close) : double.NaN;
    }

    public IReadOnlyList<Bar> Bars { get; }
    public ForecastFeatures.Matrix Features { get; }
    public LabelSet Labels { get; }
    /// <summary>AFML average-uniqueness weights when asked for, else null (every sample weighs 1).</summary>
    public double[]? Weights { get; }
    /// <summary>ln(close[t+1] / close[t]): what a position taken at bar t's close earns over the next bar.</summary>
    public double[] NextReturns { get; }
    public int Count => Bars.Count;
    public ForecastTask Task => Labels.IsClassification ? ForecastTask.Classification : ForecastTask.Regression;

    /// <param name="allFeatureSet">Add the z-scored 184-column `all` set to the core rows (<see cref="ForecastFeatures.BuildWithAllSet"/>).</param>
    public static SupervisedData Build(IReadOnlyList<Bar> bars, LabelSpec label, IReadOnlyList<int>? lags = null, double periodsPerYear = 365, bool uniquenessWeights = false,
        bool allFeatureSet = false, int zScoreWindow = 250)
    {
        var features = allFeatureSet ? ForecastFeatures.BuildWithAllSet(bars, lags, periodsPerYear, zScoreWindow) : ForecastFeatures.Build(bars, lags, periodsPerYear);
        var labels = label.Build(bars.Select(b => b.Close).ToArray());
        double[]? weights = null;
        if (uniquenessWeights)
        {
            var known = Enumerable.Range(0, bars.Count).Where(t => labels.Ends[t] >= 0).ToArray();
            var u = SampleUniqueness.AverageUniqueness(known.Select(t => new LabelWindow(t, labels.Ends[t])).ToArray(), bars.Count);
            weights = new double[bars.Count];
            for (var k = 0; k < known.Length; k++) weights[known[k]] = u[k];
        }
        return new SupervisedData(bars, features, labels, weights);
    }

    /// <summary>
    /// The dataset with only <paramref name="trainRows"/> labelled (all rows stay as context for sequence models).
    /// </summary>
    public ForecastDataset Dataset(IEnumerable<int>? trainRows = null)
    {
        var labels = new double[Count];
        Array.Fill(labels, double.NaN);
        foreach (var t in trainRows ?? Enumerable.Range(0, Count)) labels[t] = Labels.Values[t];
        return new ForecastDataset(Features.Names, Features.Rows, labels, Weights);
    }

    /// <summary>Rows with a known label whose window ends strictly before <paramref name="decisionRow"/>: safe to train on at that row.</summary>
    public IEnumerable<int> ResolvedBefore(int decisionRow, int firstRow = 0)
    {
        for (var t = Math.Max(0, firstRow); t < decisionRow; t++)
            if (Labels.Ends[t] >= 0 && Labels.Ends[t] < decisionRow) yield return t;
    }

    /// <summary>Rows whose features are all known (past warm-up).</summary>
    public int FirstCompleteRow()
    {
        for (var t = 0; t < Count; t++)
            if (Features.Rows[t].All(double.IsFinite)) return t;
        return Count;
    }

    /// <summary>Label windows of rows 0..n-1 for purging (unknown labels end at the last bar).</summary>
    public LabelWindow[] Windows(IReadOnlyList<int> rows) =>
        rows.Select(t => new LabelWindow(t, Labels.Ends[t] >= 0 ? Labels.Ends[t] : Count - 1)).ToArray();
}
