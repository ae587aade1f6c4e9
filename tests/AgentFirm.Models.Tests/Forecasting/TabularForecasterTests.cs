using AgentFirm.Models.Forecasting;
using AgentFirm.TestSupport;

namespace AgentFirm.Models.Tests.Forecasting;

public class ForecastMetricsTests
{
    [Fact]
    public void Auc_counts_correctly_ordered_pairs_and_ties_half()
    {
        // Positives {0.9, 0.4}, negatives {0.5, 0.1}: pairs (0.9>0.5, 0.9>0.1, 0.4<0.5, 0.4>0.1) -> 3/4.
        Assert.Equal(0.75, ForecastMetrics.Auc([0.9, 0.5, 0.4, 0.1], [1, 0, 1, 0]), 12);
        Assert.Equal(0.5, ForecastMetrics.Auc([0.3, 0.3], [1, 0]), 12);
        Assert.Equal(0.5, ForecastMetrics.Accuracy([0.9, 0.2], [0, 0]), 12);
    }
}

public class TabularForecasterTests
{
    private static IForecaster Create(string kind, ForecastTask task, IReadOnlyList<string> names) => kind switch
    {
        "linear" => new LinearForecaster(task, names),
        "lightgbm" => new LightGbmForecaster(task, names, new LightGbmSettings { Iterations = 100 }),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [InlineData("linear")]
    [InlineData("lightgbm")]
    public void Classifier_learns_a_planted_signal_out_of_sample(string kind)
    {
        var data = PlantedData.Make(3000, 10, planted: true, ForecastTask.Classification, seed: 1);
        var auc = PlantedData.HeldOutAuc(Create(kind, ForecastTask.Classification, data.FeatureNames), data, 2000);
        // The planted edge: P(up) = Phi(0.8 x0); the Bayes AUC is about 0.72.
        Assert.True(auc > 0.65, $"{kind} held-out AUC {auc:F3}");
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("lightgbm")]
    public void Classifier_does_not_learn_pure_noise(string kind)
    {
        var data = PlantedData.Make(3000, 10, planted: false, ForecastTask.Classification, seed: 2);
        var auc = PlantedData.HeldOutAuc(Create(kind, ForecastTask.Classification, data.FeatureNames), data, 2000);
        // 1000 held-out labels: the AUC of an uninformed score has sd about 0.018; 0.44-0.56 is over 3 sd.
        Assert.InRange(auc, 0.44, 0.56);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("lightgbm")]
    public void Regressor_learns_a_planted_signal_and_orders_its_quantiles(string kind)
    {
        var data = PlantedData.Make(3000, 10, planted: true, ForecastTask.Regression, seed: 3);
        var model = Create(kind, ForecastTask.Regression, data.FeatureNames);
        var corr = PlantedData.HeldOutCorrelation(model, data, 2000);
        Assert.True(corr > 0.4, $"{kind} held-out correlation {corr:F3}"); // Bayes: 0.8 / sqrt(1.64) = 0.62
        var heldOut = model.PredictBatch(data.Rows, Enumerable.Range(2000, 1000).ToArray());
        Assert.All(heldOut, f => Assert.True(f.HasQuantiles && f.Q10 < f.Q50 && f.Q50 < f.Q90, $"{f}"));

        // The band is split-conformal: point forecast plus the type-7 10/50/90% quantiles of the residuals on the
        // validation tail the fit held out (the last 20% of the 2000 training rows). Recomputed here from the
        // residuals alone (Hyndman and Fan 1996, definition 7: h = (n - 1) p, interpolate between order statistics).
        var validation = Enumerable.Range(1600, 400).ToArray();
        var residuals = validation.Select(i => data.Labels[i] - model.Predict(data.Rows, i).Value).Order().ToArray();
        double Type7(double p)
        {
            var h = (residuals.Length - 1) * p;
            var lo = (int)h;
            return residuals[lo] + (h - lo) * (residuals[lo + 1] - residuals[lo]);
        }
        var f = heldOut[500];
        Assert.Equal(f.Value + Type7(0.1), f.Q10!.Value, 12);
        Assert.Equal(f.Value + Type7(0.5), f.Q50!.Value, 12);
        Assert.Equal(f.Value + Type7(0.9), f.Q90!.Value, 12);

        // Coverage of the 10-90 band on the 1000 held-out rows. Two sources of spread around 80%: the 1000 test
        // labels (sd sqrt(0.16 / 1000) = 0.013) and the band's own 400 calibration residuals (the coverage
        // F(q90) - F(q10) of sample quantiles has variance (0.09 + 0.09 - 2 x 0.01) / 400, sd 0.020); together
        // sd 0.024, and 0.72-0.88 is 3.4 of them.
        var inside = heldOut.Where((q, k) => data.Labels[2000 + k] >= q.Q10 && data.Labels[2000 + k] <= q.Q90).Count();
        Assert.InRange(inside / 1000.0, 0.72, 0.88);
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("lightgbm")]
    public void Planted_feature_ranks_first_in_importance(string kind)
    {
        var data = PlantedData.Make(3000, 10, planted: true, ForecastTask.Classification, seed: 4);
        var model = Create(kind, ForecastTask.Classification, data.FeatureNames);
        model.Fit(data, new FitOptions());
        Assert.Equal("f0", model.FeatureImportance()[0].Feature);
    }

    [Theory]
    [InlineData("linear", ForecastTask.Classification)]
    [InlineData("linear", ForecastTask.Regression)]
    [InlineData("lightgbm", ForecastTask.Classification)]
    [InlineData("lightgbm", ForecastTask.Regression)]
    public void Save_and_load_give_identical_forecasts(string kind, ForecastTask task)
    {
        var data = PlantedData.Make(1500, 6, planted: true, task, seed: 5);
        var model = Create(kind, task, data.FeatureNames);
        model.Fit(data, new FitOptions());
        using var folder = new TempFolder();
        model.Save(folder.Path);
        IForecaster loaded = kind == "linear" ? LinearForecaster.Load(folder.Path) : LightGbmForecaster.Load(folder.Path);
        Assert.Equal(model.Kind, loaded.Kind);
        for (var i = 0; i < 1500; i += 37) Assert.Equal(model.Predict(data.Rows, i), loaded.Predict(data.Rows, i));
        Assert.Equal(model.FeatureImportance(), loaded.FeatureImportance());
    }

    [Fact]
    public void LightGbm_is_deterministic_with_a_seed()
    {
        var data = PlantedData.Make(1500, 6, planted: true, ForecastTask.Classification, seed: 6);
        var a = new LightGbmForecaster(ForecastTask.Classification, data.FeatureNames);
        var b = new LightGbmForecaster(ForecastTask.Classification, data.FeatureNames);
        a.Fit(data, new FitOptions { Seed = 11 });
        b.Fit(data, new FitOptions { Seed = 11 });
        for (var i = 0; i < 1500; i += 50) Assert.Equal(a.Predict(data.Rows, i).Value, b.Predict(data.Rows, i).Value);
    }

    [Fact]
    public void Classification_rejects_labels_that_are_not_zero_or_one()
    {
        var data = PlantedData.Make(200, 3, planted: true, ForecastTask.Regression, seed: 8);
        Assert.Throws<ArgumentException>(() => new LinearForecaster(ForecastTask.Classification, data.FeatureNames).Fit(data, new FitOptions()));
    }
}
