using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Validation;

public class KolmogorovSmirnovTests
{
    [Theory]
    // Critical values c(alpha) of the Kolmogorov distribution, P(K > c) = alpha (Smirnov 1948's table, as
    // quoted e.g. in Stephens 1970 and the NIST handbook): 1.22385 (0.10), 1.35810 (0.05), 1.62762 (0.01),
    // 1.94947 (0.001).
    [InlineData(1.22385, 0.10)]
    [InlineData(1.35810, 0.05)]
    [InlineData(1.62762, 0.01)]
    [InlineData(1.94947, 0.001)]
    public void Kolmogorov_survival_at_the_tabulated_critical_values(double lambda, double alpha)
    {
        Assert.Equal(alpha, KolmogorovSmirnov.KolmogorovSurvival(lambda), alpha * 1e-4);
    }

    [Fact]
    public void The_two_series_of_the_Kolmogorov_distribution_agree_where_both_converge()
    {
        // Q(L) = 2 sum (-1)^(k-1) exp(-2 k^2 L^2) = 1 - sqrt(2 pi)/L sum exp(-(2k-1)^2 pi^2 / (8 L^2)); the code
        // switches form at L = 1, so both sides of the switch must give the same numbers.
        foreach (var lambda in new[] { 0.6, 0.8, 0.95, 0.999, 1.0, 1.2, 1.5 })
        {
            double alternating = 0, theta = 0;
            for (var k = 1; k <= 60; k++)
            {
                alternating += (k % 2 == 1 ? 2 : -2) * Math.Exp(-2.0 * k * k * lambda * lambda);
                theta += Math.Exp(-(2 * k - 1) * (2 * k - 1) * Math.PI * Math.PI / (8 * lambda * lambda));
            }
            Assert.Equal(1 - Math.Sqrt(2 * Math.PI) / lambda * theta, alternating, 12);
            Assert.Equal(alternating, KolmogorovSmirnov.KolmogorovSurvival(lambda), 12);
        }
        Assert.Equal(1.0, KolmogorovSmirnov.KolmogorovSurvival(0));
        Assert.Equal(0.2699996716773546, KolmogorovSmirnov.KolmogorovSurvival(1.0), 12); // the median region: P(K > 1) = 0.27
    }

    [Fact]
    public void Statistic_and_p_value_of_a_small_sample_worked_by_hand()
    {
        // ECDFs of {1..5} and {3.5, 6, 7, 8}: after 5 the first is at 1, the second at 1/4, so D = 0.75.
        // en = 5 x 4 / 9, lambda = sqrt(20/9) x 0.75 = 1.1180; Q(1.1180) = 2 (e^-2.5 - e^-10 + ...) = 0.164079.
        var result = KolmogorovSmirnov.TwoSample([1, 2, 3, 4, 5], [8, 3.5, 6, 7]);
        Assert.Equal(0.75, result.Statistic, 15);
        Assert.Equal(20 / 9.0, result.EffectiveCount, 12);
        Assert.Equal(0.1640791977266521, result.PValue, 10);
    }

    [Fact]
    public void Ties_are_counted_on_both_sides_before_comparing()
    {
        // Identical samples with ties: D must be 0 (a naive merge that steps one side at a time would report 1/3).
        var result = KolmogorovSmirnov.TwoSample([1, 1, 2], [2, 1, 1]);
        Assert.Equal(0.0, result.Statistic);
        Assert.Equal(1.0, result.PValue);
        // Disjoint samples: D = 1.
        Assert.Equal(1.0, KolmogorovSmirnov.TwoSample([1, 2], [3, 4, double.NaN]).Statistic);
    }

    [Fact]
    public void Statistic_equals_the_brute_force_supremum_over_every_pooled_value()
    {
        var rng = new Random(12);
        for (var trial = 0; trial < 20; trial++)
        {
            var a = Enumerable.Range(0, 5 + rng.Next(30)).Select(_ => Math.Round(rng.NextDouble() * 10, 1)).ToArray();
            var b = Enumerable.Range(0, 5 + rng.Next(30)).Select(_ => Math.Round(rng.NextDouble() * 12, 1)).ToArray();
            var brute = a.Concat(b).Max(x => Math.Abs(a.Count(v => v <= x) / (double)a.Length - b.Count(v => v <= x) / (double)b.Length));
            Assert.Equal(brute, KolmogorovSmirnov.TwoSample(a, b).Statistic, 15);
        }
    }

    [Fact]
    public void Under_the_null_the_rejection_rate_is_near_alpha_and_a_shift_is_found()
    {
        // Calibration of the asymptotic p-value: 1,000 pairs of samples of 300 from one normal distribution
        // should reject at 5% about 5% of the time (binomial sd 0.7%); a shift of 0.3 sd is rejected nearly always.
        var rng = new Random(21);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var rejections = 0;
        for (var trial = 0; trial < 1_000; trial++)
        {
            var a = Enumerable.Range(0, 300).Select(_ => Normal()).ToArray();
            var b = Enumerable.Range(0, 300).Select(_ => Normal()).ToArray();
            if (KolmogorovSmirnov.TwoSample(a, b).PValue < 0.05) rejections++;
        }
        Assert.InRange(rejections / 1000.0, 0.03, 0.07);
        var shifted = Enumerable.Range(0, 300).Select(_ => Normal() + 0.3).ToArray();
        var reference = Enumerable.Range(0, 300).Select(_ => Normal()).ToArray();
        Assert.True(KolmogorovSmirnov.TwoSample(reference, shifted).PValue < 0.01);
    }
}
