using AgentFirm.Models.Forecasting;

namespace AgentFirm.Models.Tests.Forecasting;

/// <summary>
/// Simulator-like feature rows: AR(1) features (persistent like indicators), and a next-period return that
/// loads on feature 0 (a planted edge) or on nothing (pure noise). Labels: direction (0/1) or the return.
/// </summary>
public static class PlantedData
{
    public static ForecastDataset Make(int rows, int features, bool planted, ForecastTask task, int seed, double signal = 0.8)
    {
        var rng = new Random(seed);
        var names = Enumerable.Range(0, features).Select(j => $"f{j}").ToArray();
        var data = new double[rows][];
        var state = new double[features];
        var labels = new double[rows];
        for (var t = 0; t < rows; t++)
        {
            for (var j = 0; j < features; j++) state[j] = 0.7 * state[j] + Math.Sqrt(1 - 0.49) * Gaussian(rng);
            data[t] = (double[])state.Clone();
            var ret = (planted ? signal * state[0] : 0) + Gaussian(rng);
            labels[t] = task == ForecastTask.Classification ? (ret > 0 ? 1 : 0) : 0.01 * ret;
        }
        return new ForecastDataset(names, data, labels);
    }

    public static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Held-out AUC of a classifier fitted on the first <paramref name="trainRows"/> rows.</summary>
    public static double HeldOutAuc(IForecaster model, ForecastDataset data, int trainRows)
    {
        var train = new ForecastDataset(data.FeatureNames, data.Rows.Take(trainRows).ToArray(), data.Labels.Take(trainRows).ToArray());
        model.Fit(train, new FitOptions { Seed = 7 });
        var test = Enumerable.Range(trainRows, data.Count - trainRows).Where(i => i >= model.Lookback - 1).ToArray();
        var scores = model.PredictBatch(data.Rows, test).Select(f => f.Value).ToArray();
        return ForecastMetrics.Auc(scores, test.Select(i => data.Labels[i]).ToArray());
    }

    /// <summary>Held-out Spearman-free check for regressors: correlation of forecast and label.</summary>
    public static double HeldOutCorrelation(IForecaster model, ForecastDataset data, int trainRows)
    {
        var train = new ForecastDataset(data.FeatureNames, data.Rows.Take(trainRows).ToArray(), data.Labels.Take(trainRows).ToArray());
        model.Fit(train, new FitOptions { Seed = 7 });
        var test = Enumerable.Range(trainRows, data.Count - trainRows).ToArray();
        var f = model.PredictBatch(data.Rows, test).Select(x => x.Value).ToArray();
        var y = test.Select(i => data.Labels[i]).ToArray();
        double mf = f.Average(), my = y.Average(), sfy = 0, sff = 0, syy = 0;
        for (var i = 0; i < f.Length; i++) { sfy += (f[i] - mf) * (y[i] - my); sff += (f[i] - mf) * (f[i] - mf); syy += (y[i] - my) * (y[i] - my); }
        return sfy / Math.Sqrt(sff * syy);
    }
}
