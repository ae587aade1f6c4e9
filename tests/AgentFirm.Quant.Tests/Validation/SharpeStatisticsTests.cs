using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Validation;

public class SharpeStatisticsTests
{
    // Bailey & Lopez de Prado, "The Deflated Sharpe Ratio" (J. Portfolio Management 40(5), 2014), numerical
    // example: after N = 100 trials whose Sharpe ratios have an annualised variance of 1/2, the best strategy
    // shows an annualised SR of 2.5 over 5 years of daily returns (T = 1250, 250 days a year) with skewness -3
    // and kurtosis 10. Per period: SR = 2.5/sqrt(250) = 0.1581, V[SR_n] = 0.5/250 = 0.002. The paper reports
    // SR0 of about 0.1132 (annualised about 1.7894) and DSR of about 0.9004.
    private const int Trials = 100;
    private const double TrialsVariance = 0.5 / 250;
    private static readonly double ExampleSharpe = 2.5 / Math.Sqrt(250);

    [Fact]
    public void Expected_maximum_sharpe_matches_the_DSR_paper_example()
    {
        var sr0 = DeflatedSharpe.ExpectedMaximumSharpe(Trials, TrialsVariance);
        Assert.Equal(0.1132, sr0, 1e-4);
        Assert.Equal(1.7894, sr0 * Math.Sqrt(250), 1e-4);
    }

    [Fact]
    public void Deflated_sharpe_matches_the_DSR_paper_example()
    {
        var dsr = DeflatedSharpe.Probability(ExampleSharpe, 1250, -3, 10, Trials, TrialsVariance);
        Assert.Equal(0.9004, dsr, 1e-4);
    }

    [Fact]
    public void Issue_example_with_rounded_sharpe_gives_about_0_8999()
    {
        // The issue's `stats sharpe --sr 0.158 ...` rounds SR to 0.158, which moves DSR to 0.89986.
        var dsr = DeflatedSharpe.Probability(0.158, 1250, -3, 10, Trials, TrialsVariance);
        Assert.Equal(0.89986, dsr, 1e-5);
    }

    [Fact]
    public void Psr_equals_a_direct_evaluation_of_the_paper_formula()
    {
        // Independent evaluation: z = (SR - SR*) sqrt(n-1) / sqrt(1 - g3 SR + (g4-1)/4 SR^2), PSR = Phi(z), with
        // Phi = (1 + erf(z/sqrt 2))/2 and erf integrated numerically (Simpson), not through StandardNormal.
        foreach (var (sr, bench, n, skew, kurt) in new[] { (0.158, 0.0, 1250, -3.0, 10.0), (0.1, 0.05, 200, 0.5, 4.0), (0.02, 0.03, 5000, -1.0, 6.0), (0.3, 0.1, 36, -2.448, 10.164) })
        {
            var z = (sr - bench) * Math.Sqrt(n - 1) / Math.Sqrt(1 - skew * sr + (kurt - 1) / 4 * sr * sr);
            var expected = 0.5 + SimpsonNormalIntegral(0, z);
            Assert.Equal(expected, ProbabilisticSharpe.Probability(sr, n, skew, kurt, bench), 1e-10);
        }
    }

    [Fact]
    public void Normal_returns_reduce_to_Lo_2002_standard_error()
    {
        // Bailey & Lopez de Prado (2012), section 2: with gamma_3 = 0 and gamma_4 = 3 the variance of SR^ is
        // (1 + SR^2/2)/(n - 1), Lo's (2002) result for iid normal returns.
        var se = ProbabilisticSharpe.StandardError(0.2, 100, 0, 3);
        Assert.Equal(Math.Sqrt((1 + 0.2 * 0.2 / 2) / 99), se, 1e-15);
    }

    [Fact]
    public void Psr_reaches_one_minus_alpha_exactly_at_the_minimum_track_record_length()
    {
        // Bailey & Lopez de Prado (2012), MinTRL: the n solving PSR(SR*) = 1 - alpha.
        foreach (var (sr, bench, skew, kurt) in new[] { (0.158, 0.0, -3.0, 10.0), (0.1, 0.05, 0.5, 4.0), (0.25, 0.0, 0.0, 3.0) })
        {
            var minTrl = ProbabilisticSharpe.MinimumTrackRecordLength(sr, skew, kurt, bench, 0.05)!.Value;
            var z = (sr - bench) * Math.Sqrt(minTrl - 1) / Math.Sqrt(1 - skew * sr + (kurt - 1) / 4 * sr * sr);
            Assert.Equal(0.95, StandardNormal.Cdf(z), 1e-12);
        }
    }

    [Fact]
    public void Minimum_track_record_length_of_the_DSR_example()
    {
        // MinTRL = 1 + (1 + 3*0.158 + 9/4*0.158^2) (1.6449/0.158)^2 = 166.84 daily observations for SR* = 0 at
        // 95%, and 2061 observations to beat SR0 = 0.1132: the 1250 days in the example are not enough for
        // 95% against SR0, consistent with its DSR of 0.90.
        Assert.Equal(166.836, ProbabilisticSharpe.MinimumTrackRecordLength(0.158, -3, 10, 0, 0.05)!.Value, 1e-3);
        var sr0 = DeflatedSharpe.ExpectedMaximumSharpe(Trials, TrialsVariance);
        Assert.Equal(2061.13, ProbabilisticSharpe.MinimumTrackRecordLength(0.158, -3, 10, sr0, 0.05)!.Value, 1e-2);
    }

    [Fact]
    public void Minimum_track_record_length_is_null_when_the_sharpe_does_not_beat_the_benchmark()
    {
        Assert.Null(ProbabilisticSharpe.MinimumTrackRecordLength(0.05, 0, 3, 0.05));
        Assert.Null(ProbabilisticSharpe.MinimumTrackRecordLength(-0.1, 0, 3, 0));
    }

    [Fact]
    public void Negative_skew_and_fat_tails_lower_psr_and_lengthen_the_track_record()
    {
        // The qualitative claims of Bailey & Lopez de Prado (2012), section 3.
        var normal = ProbabilisticSharpe.Probability(0.1, 250, 0, 3);
        var skewed = ProbabilisticSharpe.Probability(0.1, 250, -3, 10);
        Assert.True(skewed < normal);
        Assert.True(ProbabilisticSharpe.MinimumTrackRecordLength(0.1, -3, 10) > ProbabilisticSharpe.MinimumTrackRecordLength(0.1, 0, 3));
    }

    [Fact]
    public void Expected_maximum_of_standard_normals_agrees_with_monte_carlo()
    {
        // Independent check of the extreme-value approximation behind SR0: the sample mean of the maximum of N
        // iid N(0, 1) draws. The approximation is asymptotic; it is within about 1% at N = 100 (exact 2.5076)
        // and closer for larger N.
        var random = new Random(20141);
        foreach (var (n, tolerance) in new[] { (100, 0.015), (1000, 0.008) })
        {
            const int reps = 4000;
            var total = 0.0;
            for (var r = 0; r < reps; r++)
            {
                var max = double.NegativeInfinity;
                for (var i = 0; i < n; i++) max = Math.Max(max, Gaussian(random));
                total += max;
            }
            var simulated = total / reps;
            var formula = DeflatedSharpe.ExpectedMaximumStandardNormal(n);
            Assert.True(Math.Abs(formula / simulated - 1) < tolerance, $"N={n}: formula {formula}, Monte Carlo {simulated}");
        }
    }

    [Fact]
    public void Expected_maximum_sharpe_scales_with_the_trials_standard_deviation_and_grows_with_trials()
    {
        Assert.Equal(0, DeflatedSharpe.ExpectedMaximumSharpe(1, 0.01));
        var a = DeflatedSharpe.ExpectedMaximumSharpe(10, 0.01);
        Assert.Equal(2 * a, DeflatedSharpe.ExpectedMaximumSharpe(10, 0.04), 1e-14);
        Assert.True(DeflatedSharpe.ExpectedMaximumSharpe(1000, 0.01) > a);
    }

    [Fact]
    public void Return_moments_are_the_per_period_sharpe_skew_and_plain_kurtosis()
    {
        double[] r = [0.01, -0.02, 0.03, 0.0, 0.015, -0.005];
        var m = ReturnMoments.From(r);
        var mean = r.Average();
        var m2 = r.Sum(x => Math.Pow(x - mean, 2)) / r.Length;
        var m3 = r.Sum(x => Math.Pow(x - mean, 3)) / r.Length;
        var m4 = r.Sum(x => Math.Pow(x - mean, 4)) / r.Length;
        Assert.Equal(mean / Math.Sqrt(m2 * r.Length / (r.Length - 1)), m.Sharpe, 1e-12);
        Assert.Equal(m3 / Math.Pow(m2, 1.5), m.Skewness, 1e-12);
        Assert.Equal(m4 / (m2 * m2), m.Kurtosis, 1e-12);
    }

    [Fact]
    public void Kurtosis_of_normal_draws_is_near_three_not_zero()
    {
        var random = new Random(7);
        var draws = Enumerable.Range(0, 200_000).Select(_ => Gaussian(random)).ToArray();
        Assert.Equal(3.0, ReturnMoments.From(draws).Kurtosis, 0.05);
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilisticSharpe.Probability(0.1, 1, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilisticSharpe.Probability(0.1, 100, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ProbabilisticSharpe.MinimumTrackRecordLength(0.1, 0, 3, 0, 1.5));
        Assert.Throws<ArgumentException>(() => ReturnMoments.From([0.1, 0.2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeflatedSharpe.ExpectedMaximumSharpe(0, 0.1));
    }

    internal static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double SimpsonNormalIntegral(double a, double b)
    {
        const int steps = 20_000;
        var h = (b - a) / steps;
        var sum = Density(a) + Density(b);
        for (var i = 1; i < steps; i++) sum += (i % 2 == 0 ? 2 : 4) * Density(a + i * h);
        return sum * h / 3;
        static double Density(double x) => Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
    }
}
