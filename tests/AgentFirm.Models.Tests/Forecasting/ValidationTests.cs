using AgentFirm.Core;
using AgentFirm.Models.Forecasting;
using AgentFirm.Quant.Labels;

namespace AgentFirm.Models.Tests.Forecasting;

/// <summary>Records what each fit saw, forecasts 0.5: lets tests check what a validation scheme trains on.</summary>
internal sealed class SpyForecaster(IReadOnlyList<string> names, ForecastTask task = ForecastTask.Classification) : IForecaster
{
    public List<int[]> Fits { get; } = [];
    public List<int[]> Forecasted { get; } = [];
    public string Kind => "spy";
    public ForecastTask Task => task;
    public int Lookback => 1;
    public IReadOnlyList<string> FeatureNames => names;
    public bool IsFitted => Fits.Count > 0;

    public FitReport Fit(ForecastDataset data, FitOptions options)
    {
        Fits.Add(Enumerable.Range(0, data.Count).Where(i => double.IsFinite(data.Labels[i])).ToArray());
        return new FitReport(Kind, Fits[^1].Length, 0, 1, double.NaN, TimeSpan.Zero);
    }

    public Forecast Predict(IReadOnlyList<double[]> rows, int index) => new(0.5 + 1e-3 * Math.Sin(index));
    public Forecast[] PredictBatch(IReadOnlyList<double[]> rows, IReadOnlyList<int> indices)
    {
        Forecasted.Add(indices.ToArray());
        return indices.Select(i => Predict(rows, i)).ToArray();
    }
    public IReadOnlyList<FeatureImportance> FeatureImportance() => [];
    public void Save(string directory) => throw new NotSupportedException();
}

public class ValidationTests
{
    internal static Bar[] Walk(int count, int seed)
    {
        var rng = new Random(seed);
        var bars = new Bar[count];
        var price = 100.0;
        var t0 = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var open = price;
            price *= Math.Exp(0.01 * PlantedData.Gaussian(rng));
            bars[i] = new Bar(t0.AddHours(i), TimeSpan.FromHours(1), open, Math.Max(open, price) * 1.001, Math.Min(open, price) * 0.999, price, 100 + rng.Next(50));
        }
        return bars;
    }

    [Theory]
    [InlineData(CvScheme.WalkForward)]
    [InlineData(CvScheme.PurgedKFold)]
    [InlineData(CvScheme.Cpcv)]
    public void No_training_label_window_overlaps_a_test_label_window(CvScheme scheme)
    {
        var data = SupervisedData.Build(Walk(600, 2), LabelSpec.Parse("direction:10"));
        var validation = new ForecastValidation(data, data.FirstCompleteRow(), 10);
        var spies = new List<SpyForecaster>();
        var result = validation.Run("spy", () => { var s = new SpyForecaster(data.Features.Names); spies.Add(s); return s; }, new CvSettings(scheme, Folds: 4, Groups: 5, TestGroups: 2), new FitOptions { ValidationFraction = 0 });
        Assert.Equal(result.Folds.Count, spies.Count);
        // Every training row's label window [t, end_t] must miss every tested row's window [u, end_u].
        for (var s = 0; s < spies.Count; s++)
        {
            var train = spies[s].Fits[0];
            var test = spies[s].Forecasted.Single();
            Assert.Equal(result.Folds[s].TrainSize, train.Length);
            Assert.Equal(result.Folds[s].TestSize, test.Length);
            Assert.NotEmpty(train);
            foreach (var t in train)
            foreach (var u in test)
                Assert.False(t <= data.Labels.Ends[u] && u <= data.Labels.Ends[t], $"split {s}: training row {t} (to {data.Labels.Ends[t]}) overlaps test row {u} (to {data.Labels.Ends[u]})");
        }
        if (scheme == CvScheme.Cpcv) Assert.Equal(4, result.Paths.Count); // C(4, 1) paths for N=5, k=2
        Assert.Equal(result.Rows.Length, result.Returns.Length);
    }

    [Fact]
    public void A_rolling_walk_forward_trains_on_the_last_window_before_each_test_block_only()
    {
        var data = SupervisedData.Build(Walk(600, 2), LabelSpec.Parse("direction:10"));
        var validation = new ForecastValidation(data, data.FirstCompleteRow(), 10);
        var spies = new List<SpyForecaster>();
        validation.Run("spy", () => { var s = new SpyForecaster(data.Features.Names); spies.Add(s); return s; },
            new CvSettings(CvScheme.WalkForward, Folds: 4, RollingWindow: 60), new FitOptions { ValidationFraction = 0 });
        var obs = validation.Observations;
        Assert.Equal(4, spies.Count);
        foreach (var spy in spies)
        {
            var train = spy.Fits[0];
            var firstTest = Array.IndexOf(obs, spy.Forecasted.Single().Min());
            // The 60 observations before the block, less the last 10 whose labels are still open at its start.
            Assert.Equal(obs[(firstTest - 60)..(firstTest - 10)], train);
        }
    }

    [Fact]
    public void Strategy_returns_charge_costs_on_turnover()
    {
        // Long, long, short: returns +1%, +1%, -2% -> 0.01 - c, 0.01, 0.02 - 2c with c = 10 bp.
        var r = StrategyReturns.FromPositions([1, 1, -1], [0.01, 0.01, -0.02], 10);
        Assert.Equal(0.01 - 0.001, r[0], 12);
        Assert.Equal(0.01, r[1], 12);
        Assert.Equal(0.02 - 0.002, r[2], 12);
    }
}
