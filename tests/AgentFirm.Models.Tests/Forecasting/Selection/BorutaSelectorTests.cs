using AgentFirm.Models.Forecasting;
using AgentFirm.Models.Forecasting.Selection;

namespace AgentFirm.Models.Tests.Forecasting.Selection;

public class BorutaSelectorTests
{
    private static readonly BorutaOptions Fast = new() { MaxIterations = 20, Trees = 50 };

    [Fact]
    public void Confirms_the_planted_drivers_and_rejects_most_noise()
    {
        var (data, _) = SelectionData.Make(1500, informative: 3, noise: 20, ForecastTask.Classification, seed: 11);
        var report = new BorutaSelector(ForecastTask.Classification, Fast).Select(data, Enumerable.Range(0, 1000).ToArray());

        Assert.Equal(["driver0", "driver1", "driver2"], report.Decisions.Where(d => d.Status == "confirmed").Select(d => d.Feature).Take(3));
        Assert.Equal(["driver0", "driver1", "driver2"], report.Names.Where(n => n.StartsWith("driver")));
        var noise = report.Decisions.Where(d => d.Feature.StartsWith("noise")).ToArray();
        Assert.True(noise.Count(d => d.Status == "rejected") >= 15, string.Join("; ", noise.Select(d => $"{d.Feature} {d.Status} {d.Detail}")));
        Assert.True(noise.Count(d => d.Selected) <= 2);
    }

    [Fact]
    public void Regression_labels_work_too()
    {
        var (data, _) = SelectionData.Make(1200, informative: 2, noise: 18, ForecastTask.Regression, seed: 5);
        var report = new BorutaSelector(ForecastTask.Regression, Fast).Select(data, Enumerable.Range(0, 1200).ToArray());
        Assert.Contains("driver0", report.Names);
        Assert.Contains("driver1", report.Names);
        Assert.True(report.Names.Count(n => n.StartsWith("noise")) <= 2);
    }

    [Fact]
    public void Identical_across_runs()
    {
        var (data, _) = SelectionData.Make(800, informative: 2, noise: 20, ForecastTask.Classification, seed: 3);
        var train = Enumerable.Range(0, 800).ToArray();
        var a = new BorutaSelector(ForecastTask.Classification, Fast).Select(data, train);
        var b = new BorutaSelector(ForecastTask.Classification, Fast).Select(data, train);
        Assert.Equal(a.Decisions, b.Decisions);
        Assert.Equal(a.Names, b.Names);
    }

    [Fact]
    public void Reads_only_the_training_samples()
    {
        // The label after row 600 is scrambled; the selection on rows 0..599 must not change.
        var (data, _) = SelectionData.Make(900, informative: 2, noise: 10, ForecastTask.Classification, seed: 8);
        var scrambled = data.Labels.Select((y, i) => i < 600 ? y : 1 - y).ToArray();
        var rows = data.Rows.Select((r, i) => i < 600 ? r : r.Select(_ => 99.0).ToArray()).ToArray();
        var other = new ForecastDataset(data.FeatureNames, rows, scrambled);
        var train = Enumerable.Range(0, 600).ToArray();
        var a = new BorutaSelector(ForecastTask.Classification, Fast).Select(data, train);
        var b = new BorutaSelector(ForecastTask.Classification, Fast).Select(other, train);
        Assert.Equal(a.Decisions, b.Decisions);
    }

    [Theory]
    [InlineData(20, 20, 9.5367431640625e-07)] // 0.5^20
    [InlineData(15, 20, 0.020694732666015625)] // sum_{k>=15} C(20,k)/2^20 = 21700/1048576
    [InlineData(0, 20, 1.0)]
    public void Binomial_upper_tail_matches_exact_counts(int hits, int runs, double expected) =>
        Assert.Equal(expected, Binomial.UpperTail(hits, runs), 12);

    [Fact]
    public void Binomial_lower_tail_matches_exact_counts() =>
        Assert.Equal(21700.0 / 1048576, Binomial.LowerTail(5, 20), 12); // symmetric to P(X >= 15)
}
