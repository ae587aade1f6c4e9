using AgentFirm.Quant.Features;

namespace AgentFirm.Quant.Tests.Features;

public class NormalisationTests
{
    [Fact]
    public void Rolling_z_score_with_and_without_the_current_value_worked_by_hand()
    {
        double[] x = [1, 2, 3, 4, 10];
        // Including 10: window 3, 4, 10, mean 17/3, sample variance ((-8/3)^2 + (-5/3)^2 + (13/3)^2) / 2 = 43/3.
        var including = Normalisation.RollingZScore(x, 3);
        Assert.Equal((10 - 17 / 3.0) / Math.Sqrt(43 / 3.0), including[4], 12);
        Assert.True(double.IsNaN(including[1]));
        Assert.Equal(1.0, including[2], 12); // 3 against 1, 2, 3: (3 - 2) / 1
        // Excluding 10: scored against 2, 3, 4 alone (mean 3, sd 1): 7 standard deviations.
        var excluding = Normalisation.RollingZScore(x, 3, excludeCurrent: true);
        Assert.Equal(7.0, excluding[4], 12);
        Assert.True(double.IsNaN(excluding[2]));
        Assert.Equal(2.0, excluding[3], 12); // 4 against 1, 2, 3
    }

    [Fact]
    public void Rolling_z_score_matches_a_direct_computation_and_skips_warm_up_NaNs()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 400).Select(i => i < 7 ? double.NaN : 50_000 + 500 * rng.NextDouble()).ToArray();
        foreach (var exclude in new[] { false, true })
        {
            var z = Normalisation.RollingZScore(x, 30, exclude);
            for (var t = 0; t < x.Length; t++)
            {
                var end = exclude ? t - 1 : t;
                var start = end - 29;
                if (start < 7)
                {
                    Assert.True(double.IsNaN(z[t]), $"row {t} should be warm-up");
                    continue;
                }
                var window = x[start..(end + 1)];
                var mean = window.Average();
                var sd = Math.Sqrt(window.Sum(v => (v - mean) * (v - mean)) / 29);
                Assert.Equal((x[t] - mean) / sd, z[t], 9);
            }
        }
    }

    [Fact]
    public void Z_scores_are_as_of_appending_rows_never_changes_a_past_one()
    {
        var rng = new Random(4);
        var x = Enumerable.Range(0, 600).Select(_ => rng.NextDouble()).ToArray();
        var past = x[..300];
        AssertPrefix(Normalisation.RollingZScore(past, 50), Normalisation.RollingZScore(x, 50));
        AssertPrefix(Normalisation.RollingZScore(past, 50, true), Normalisation.RollingZScore(x, 50, true));
        AssertPrefix(Normalisation.ExpandingZScore(past), Normalisation.ExpandingZScore(x));
        AssertPrefix(Normalisation.ExpandingZScore(past, 5, true), Normalisation.ExpandingZScore(x, 5, true));
        AssertPrefix(FractionalDifferencing.Apply(past, 0.4), FractionalDifferencing.Apply(x, 0.4));
    }

    [Fact]
    public void Expanding_z_score_uses_every_past_value()
    {
        double[] x = [2, 4, 6, 8];
        var z = Normalisation.ExpandingZScore(x, minPeriods: 2);
        Assert.True(double.IsNaN(z[0]));
        Assert.Equal((4 - 3) / Math.Sqrt(2), z[1], 12);
        Assert.Equal((8 - 5) / Math.Sqrt(20 / 3.0), z[3], 12);
        var strict = Normalisation.ExpandingZScore(x, minPeriods: 2, excludeCurrent: true);
        Assert.True(double.IsNaN(strict[1]));
        Assert.Equal((6 - 3) / Math.Sqrt(2), strict[2], 12);
    }

    [Fact]
    public void A_flat_baseline_scores_zero_and_log_rejects_non_positive_values()
    {
        Assert.Equal(0.0, Normalisation.RollingZScore([5, 5, 5, 5], 3)[3]);
        var log = Normalisation.Log([Math.E, 0, -1, double.NaN]);
        Assert.Equal(1.0, log[0], 15);
        Assert.All(log[1..], v => Assert.True(double.IsNaN(v)));
        var signed = Normalisation.SignedLog1p([-(Math.E - 1), 0, double.NaN]);
        Assert.Equal(-1.0, signed[0], 15);
        Assert.Equal(0.0, signed[1]);
        Assert.True(double.IsNaN(signed[2]));
    }

    [Fact]
    public void Scaler_fitted_on_training_rows_applies_their_statistics_to_later_rows()
    {
        double[] train = [1, 2, 3, double.NaN];
        var scaler = ZScoreScaler.Fit(train);
        Assert.Equal(2.0, scaler.Mean, 15);
        Assert.Equal(1.0, scaler.StandardDeviation, 15);
        Assert.Equal([8.0, -2.0], scaler.Transform([10.0, 0.0]));
        Assert.Throws<ArgumentException>(() => ZScoreScaler.Fit([1.0, double.NaN]));
    }

    [Fact]
    public void A_whole_feature_table_is_normalised_column_by_column()
    {
        var bars = AgentFirm.Quant.Tests.Indicators.TestBars.Random(200, 7);
        var table = AgentFirm.Quant.Indicators.CoreFeatureSet.Compute(bars);
        var scaled = Normalisation.RollingZScore(table, 50, excludeCurrent: true);
        Assert.Equal(table.Names, scaled.Names);
        Assert.Equal(table.Times, scaled.Times);
        for (var c = 0; c < table.Columns.Length; c++)
            Assert.Equal(Normalisation.RollingZScore(table.Columns[c], 50, excludeCurrent: true), scaled.Columns[c]);
    }

    private static void AssertPrefix(double[] prefix, double[] full)
    {
        for (var t = 0; t < prefix.Length; t++) Assert.True(prefix[t].Equals(full[t]), $"row {t}: {prefix[t]} vs {full[t]}");
    }
}
