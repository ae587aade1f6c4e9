using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Validation;

// Bailey, Borwein, Lopez de Prado & Zhu, "The Probability of Backtest Overfitting", J. Computational Finance
// 20(4), 2017 (SSRN 2326253). CSCV on a T x N matrix of returns, S even partitions, C(S, S/2) combinations,
// PBO = share of logits <= 0.
public class BacktestOverfittingTests
{
    [Fact]
    public void Hand_computed_two_partition_case()
    {
        // Blocks: rows 0-1 and rows 2-3. Strategy A is 1,3 then -1,-3 (Sharpe +sqrt2 then -sqrt2); strategy B
        // is 0,1 twice (Sharpe 1/sqrt2 in both). Whichever block trains, the in-sample winner ranks last of 2 out
        // of sample: omega = 1/3, logit = ln(1/2), in both combinations, so PBO = 1.
        double[][] m = [[1, 0], [3, 1], [-1, 0], [-3, 1]];
        var result = BacktestOverfitting.Estimate(m, 2);
        Assert.Equal(2, result.Combinations);
        Assert.All(result.Logits, l => Assert.Equal(Math.Log(0.5), l, 1e-12));
        Assert.Equal([0, 1], result.InSampleBest);
        Assert.Equal(1.0, result.Pbo);
    }

    [Fact]
    public void Number_of_combinations_is_S_choose_S_over_2()
    {
        var m = Noise(new Random(1), 160, 5);
        Assert.Equal(12870, BacktestOverfitting.Estimate(m, 16).Combinations);
        Assert.Equal(20, BacktestOverfitting.Estimate(m, 6).Combinations);
    }

    [Fact]
    public void Pure_noise_strategies_are_overfit_about_half_the_time()
    {
        // With no skill anywhere the in-sample winner's out-of-sample rank is uniform: the paper's PBO is about
        // 0.5 for such a population. One matrix's PBO scatters widely (its combinations share data), so the
        // test averages ten independent matrices.
        var pbos = new List<double>();
        for (var seed = 0; seed < 10; seed++)
            pbos.Add(BacktestOverfitting.Estimate(Noise(new Random(100 + seed), 800, 40), 16).Pbo);
        Assert.InRange(pbos.Average(), 0.4, 0.7);
    }

    [Fact]
    public void A_persistent_planted_edge_is_not_overfit()
    {
        // Strategy 7 earns 0.15 standard deviations a period in every period; the 39 others are noise.
        var random = new Random(42);
        var m = Noise(random, 800, 40);
        foreach (var row in m) row[7] += 0.15;
        var result = BacktestOverfitting.Estimate(m, 16);
        Assert.True(result.Pbo < 0.05, $"PBO {result.Pbo}");
        Assert.True(result.InSampleBest.Count(b => b == 7) > 0.9 * result.Combinations);
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        var m = Noise(new Random(3), 40, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => BacktestOverfitting.Estimate(m, 5));
        Assert.Throws<ArgumentException>(() => BacktestOverfitting.Estimate(m, 30));
        Assert.Throws<ArgumentException>(() => BacktestOverfitting.Estimate(Noise(new Random(3), 40, 1), 4));
    }

    private static double[][] Noise(Random random, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => SharpeStatisticsTests.Gaussian(random)).ToArray()).ToArray();
}
