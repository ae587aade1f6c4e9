using AgentFirm.Causal;
using AgentFirm.Core;

namespace AgentFirm.Causal.Tests;

public sealed class LaggedCorrelationScreenTests
{
    [Fact]
    public void Finds_a_planted_lag_2_driver_and_nothing_else()
    {
        var (target, drivers) = Synthetic.Planted(seed: 1, n: 600, beta: 0.5, lag: 2);
        var result = new LaggedCorrelationScreen(new ScreenOptions(MaxLag: 5, Window: 500)).Screen(target, drivers, asOf: 599);

        var top = Assert.Single(result.Parents);
        Assert.Equal(("planted", 2), (top.Driver, top.Lag));
        Assert.InRange(top.Correlation, 0.35, 0.55); // 0.5 / sqrt(1.25) = 0.447
        Assert.True(top.PValue < 1e-10);
        Assert.Equal(500, top.Samples);
        Assert.Equal(20, result.Tests.Count);
        Assert.Equal(1 / 20.0, result.Density);
    }

    [Fact]
    public void Finds_the_driver_through_missing_values_and_uses_only_pairs_with_both()
    {
        var (target, drivers) = Synthetic.Planted(seed: 2, n: 600, beta: 0.5, lag: 2);
        var x = drivers[0].Values.ToArray();
        var random = new Random(9);
        var masked = 0;
        for (var t = 0; t < x.Length; t++)
            if (random.NextDouble() < 0.1) { x[t] = double.NaN; masked++; }
        var result = new LaggedCorrelationScreen(new ScreenOptions(Window: 500)).Screen(target, [drivers[0] with { Values = x }, .. drivers[1..]], 599);
        var top = result.Parents[0];
        Assert.Equal(("planted", 2), (top.Driver, top.Lag));
        Assert.InRange(top.Samples, 400, 480);
    }

    [Fact]
    public void Finds_nothing_on_shuffled_drivers_more_often_than_alpha_allows()
    {
        const int runs = 200;
        const double alpha = 0.05;
        var screen = new LaggedCorrelationScreen(new ScreenOptions(MaxLag: 5, Window: 400, Alpha: alpha));
        var withFindings = 0;
        for (var seed = 0; seed < runs; seed++)
        {
            var (target, drivers) = Synthetic.Planted(seed + 100, n: 400, beta: 0.5, lag: 2);
            var random = new Random(seed);
            var shuffled = drivers.Select(d => d with { Values = Synthetic.Shuffled(d.Values.ToArray(), random) }).ToArray();
            if (screen.Screen(target, shuffled, 399).Parents.Count > 0) withFindings++;
        }
        // Under the complete null BH bounds the chance of any finding by alpha; allow three binomial standard errors.
        var allowed = runs * alpha + 3 * Math.Sqrt(runs * alpha * (1 - alpha));
        Assert.True(withFindings <= allowed, $"{withFindings} of {runs} shuffled runs found a link; at most {allowed:F0} allowed");
    }

    [Fact]
    public void Uncorrected_p_values_are_uniform_on_null_links()
    {
        var screen = new LaggedCorrelationScreen(new ScreenOptions(MaxLag: 5, Window: 300, Alpha: 0.05, Fdr: FdrCorrection.None));
        var ps = new List<double>();
        for (var seed = 0; seed < 100; seed++)
        {
            var (target, drivers) = Synthetic.Planted(seed + 1000, n: 300, beta: 0, lag: 2);
            ps.AddRange(screen.Screen(target, drivers, 299).Tests.Select(t => t.PValue));
        }
        Assert.Equal(2000, ps.Count);
        foreach (var cut in new[] { 0.05, 0.25, 0.5, 0.75 })
        {
            var share = ps.Count(p => p < cut) / (double)ps.Count;
            Assert.InRange(share, cut - 0.04, cut + 0.04);
        }
    }

    [Fact]
    public void Reads_nothing_after_the_decision_step()
    {
        var (target, drivers) = Synthetic.Planted(seed: 3, n: 400, beta: 0.5, lag: 2);
        var screen = new LaggedCorrelationScreen(new ScreenOptions(Window: 200));
        var before = screen.Screen(target, drivers, 299);

        var futureTarget = target.ToArray();
        for (var t = 300; t < futureTarget.Length; t++) futureTarget[t] = 1e6 * (t % 2 == 0 ? 1 : -1);
        var futureDrivers = drivers.Select(d => d with { Values = d.Values.Take(300).Concat(Enumerable.Repeat(double.NaN, 100)).ToArray() }).ToArray();
        var after = screen.Screen(futureTarget, futureDrivers, 299);

        Assert.Equal(before.Tests, after.Tests);
        Assert.Equal(before.Parents, after.Parents);
        // Series that end at the decision step are enough.
        Assert.Equal(before.Tests, screen.Screen(target[..300], drivers.Select(d => d with { Values = d.Values.Take(300).ToArray() }).ToArray(), 299).Tests);
    }

    [Fact]
    public void Fisher_z_p_value_matches_a_direct_computation()
    {
        // r = 0.3, n = 50: z = atanh(0.3) sqrt(47) = 2.12196, two-sided p = 0.0338411 (Python math.erfc)
        Assert.Equal(0.0338411, FisherZ.PValue(0.3, 50), 6);
        Assert.Equal(0.0338411, FisherZ.PValue(-0.3, 50), 6);
        Assert.Equal(1.0, FisherZ.PValue(0, 50), 6);
        Assert.Equal(0.4795001, FisherZ.Erfc(0.5), 6);
        Assert.Equal(0.0046777, FisherZ.Erfc(2.0), 6);
        Assert.Equal(1.8427008, FisherZ.Erfc(-1.0), 6);
    }

    [Fact]
    public void Benjamini_Hochberg_steps_up_to_the_largest_qualifying_p()
    {
        double[] p = [0.041, 0.001, 0.216, 0.008, 0.039, 0.042, 0.06, 0.074, 0.205, 0.212];
        // m = 10, alpha 0.05: bounds k * 0.005; p(2) = 0.008 <= 0.010 is the last one under its bound
        Assert.Equal(0.008, LaggedCorrelationScreen.BenjaminiHochbergThreshold(p, 0.05));
        Assert.Equal(-1, LaggedCorrelationScreen.BenjaminiHochbergThreshold([0.5, 0.9], 0.05));
        Assert.Equal(0.04, LaggedCorrelationScreen.BenjaminiHochbergThreshold([0.04, 0.03], 0.05)); // both under 2 * 0.05 / 2
    }

    [Fact]
    public void Pearson_skips_masked_pairs()
    {
        double[] y = [0, 1, 2, 3, 4, 5];
        double[] x = [1, 2, double.NaN, 4, 9, 6];
        // pairs (x[t-1], y[t]) for t = 1..5: (1,1) (2,2) (NaN,3) (4,4) (9,5)
        var (r, n) = LaggedCorrelationScreen.LaggedPearson(y, x, 1, 1, 5);
        Assert.Equal(4, n);
        double[] a = [1, 2, 4, 9], b = [1, 2, 4, 5];
        double ma = a.Average(), mb = b.Average();
        var expected = a.Zip(b).Sum(q => (q.First - ma) * (q.Second - mb)) / Math.Sqrt(a.Sum(v => (v - ma) * (v - ma)) * b.Sum(v => (v - mb) * (v - mb)));
        Assert.Equal(expected, r, 12);
    }

    [Fact]
    public void Bad_settings_and_steps_are_refused()
    {
        Assert.Throws<BadInputException>(() => new LaggedCorrelationScreen(new ScreenOptions(MaxLag: 0)));
        Assert.Throws<BadInputException>(() => new LaggedCorrelationScreen(new ScreenOptions(Alpha: 1.5)));
        var screen = new LaggedCorrelationScreen();
        Assert.Throws<ArgumentOutOfRangeException>(() => screen.Screen([1, 2, 3], [], 3));
        Assert.Throws<ArgumentException>(() => screen.Screen([1, 2, 3], [new DriverSeries("short", [1.0])], 2));
    }
}
