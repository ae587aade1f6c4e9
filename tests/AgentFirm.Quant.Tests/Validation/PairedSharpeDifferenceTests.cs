using AgentFirm.Quant.Metrics;
using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Validation;

public sealed class PairedSharpeDifferenceTests
{
    /// <summary>T pairs of correlated normal returns (Box-Muller), reproducible from the seed.</summary>
    private static (double[] A, double[] B) CorrelatedNormals(int count, double meanA, double meanB, double rho, int seed)
    {
        var random = new Random(seed);
        var a = new double[count];
        var b = new double[count];
        for (var t = 0; t < count; t++)
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            var z1 = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            var z2 = Math.Sqrt(-2 * Math.Log(u1)) * Math.Sin(2 * Math.PI * u2);
            a[t] = meanA + z1;
            b[t] = meanB + rho * z1 + Math.Sqrt(1 - rho * rho) * z2;
        }
        return (a, b);
    }

    [Theory]
    [InlineData(0.6, 1)]
    [InlineData(0.9, 1)]
    [InlineData(0.6, null)]
    public void Bootstrap_standard_error_matches_the_jobson_korkie_memmel_formula_on_normal_returns(double rho, int? block)
    {
        // Jobson & Korkie (1981) with Memmel's correction (Finance Letters 1, 2003): for iid normal returns the
        // per-period Sharpe difference has asymptotic variance (2 - 2 rho + (SR_a^2 + SR_b^2 - 2 SR_a SR_b rho^2) / 2) / T.
        const int T = 3000;
        var (a, b) = CorrelatedNormals(T, 0.06, 0.02, rho, seed: 11);

        var result = PairedSharpeDifference.Estimate(a, b, periodsPerYear: 1, samples: 3000, blockLength: block, seed: 3);

        double sa = result.SharpeA, sb = result.SharpeB;
        var memmel = Math.Sqrt((2 - 2 * rho + 0.5 * (sa * sa + sb * sb - 2 * sa * sb * rho * rho)) / T);
        Assert.InRange(result.StandardError / memmel, 0.9, 1.1);
        Assert.Equal(sa - sb, result.Difference, 1e-12);
    }

    [Fact]
    public void Point_estimates_are_the_annualised_sharpe_ratios_the_metrics_report()
    {
        var (a, b) = CorrelatedNormals(500, 0.001, 0.0005, 0.5, seed: 5);
        var small = a.Select(x => x * 0.01).ToArray();
        var other = b.Select(x => x * 0.01).ToArray();

        var result = PairedSharpeDifference.Estimate(small, other, periodsPerYear: 365, samples: 200);

        var vol = PerformanceMetrics.SampleStdDev(small) * Math.Sqrt(365);
        Assert.Equal(small.Average() * 365 / vol, result.SharpeA, 12);
        Assert.Equal(small.Zip(other, (x, y) => x - y).Average(), result.MeanReturnDifference, 15);
        Assert.Equal(8, result.BlockLength); // ceil(500^(1/3)) = ceil(7.94)
    }

    [Fact]
    public void Identical_series_differ_by_exactly_zero_with_no_uncertainty()
    {
        var (a, _) = CorrelatedNormals(300, 0.05, 0, 0, seed: 2);

        var result = PairedSharpeDifference.Estimate(a, a, periodsPerYear: 365, samples: 500);

        Assert.Equal(0, result.Difference);
        Assert.Equal(0, result.StandardError);
        Assert.Equal(0, result.Lower);
        Assert.Equal(0, result.Upper);
        Assert.Equal(0, result.MeanReturnDifferenceStandardError);
    }

    [Fact]
    public void A_clearly_better_series_has_an_interval_above_zero_and_the_same_seed_repeats_it()
    {
        var (a, b) = CorrelatedNormals(2000, 0.15, 0.0, 0.8, seed: 9);

        var first = PairedSharpeDifference.Estimate(a, b, periodsPerYear: 1, samples: 1000, seed: 4);
        var again = PairedSharpeDifference.Estimate(a, b, periodsPerYear: 1, samples: 1000, seed: 4);

        Assert.True(first.Lower > 0, $"interval [{first.Lower}, {first.Upper}]");
        Assert.True(first.Lower < first.Difference && first.Difference < first.Upper);
        Assert.True(first.ProbabilityPositive > 0.99);
        Assert.Equal(first, again);
    }

    [Fact]
    public void A_flat_series_has_a_sharpe_ratio_of_zero()
    {
        var (a, _) = CorrelatedNormals(100, 0.05, 0, 0, seed: 1);
        var flat = new double[100];

        var result = PairedSharpeDifference.Estimate(a, flat, periodsPerYear: 1, samples: 200);

        Assert.Equal(0, result.SharpeB);
        Assert.Equal(result.SharpeA, result.Difference);
    }

    [Fact]
    public void Unpaired_or_too_short_series_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PairedSharpeDifference.Estimate([0.1, 0.2, 0.3], [0.1, 0.2], 1));
        Assert.Throws<ArgumentException>(() => PairedSharpeDifference.Estimate([0.1, 0.2], [0.1, 0.2], 1));
        Assert.Throws<ArgumentException>(() => PairedSharpeDifference.Estimate([0.1, double.NaN, 0.3], [0.1, 0.2, 0.3], 1));
    }
}
