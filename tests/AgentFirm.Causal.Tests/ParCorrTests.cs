using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace AgentFirm.Causal.Tests;

/// <summary>ParCorr against independent computations: the precision matrix and MathNet's Student-t distribution.</summary>
public class ParCorrTests
{
    private static double[][] Columns(int seed, int n, int k)
    {
        var random = new Random(seed);
        var z = Enumerable.Range(0, k).Select(_ => Synthetic.Noise(random, n)).ToArray();
        var x = new double[n];
        var y = new double[n];
        for (var t = 0; t < n; t++)
        {
            x[t] = 0.3 * Synthetic.Normal(random) + z.Sum(c => 0.5 * c[t]);
            y[t] = 0.4 * x[t] + Synthetic.Normal(random) - z.Sum(c => 0.3 * c[t]);
        }
        return [x, y, .. z];
    }

    /// <summary>Partial correlation of 0 and 1 given the rest = -P01 / sqrt(P00 P11), P the inverse correlation matrix (e.g. Whittaker 1990, ch. 5).</summary>
    private static double ViaPrecision(double[][] cols)
    {
        var d = cols.Length;
        var n = cols[0].Length;
        var cov = Matrix<double>.Build.Dense(d, d, (a, b) =>
        {
            double ma = cols[a].Average(), mb = cols[b].Average(), s = 0;
            for (var t = 0; t < n; t++) s += (cols[a][t] - ma) * (cols[b][t] - mb);
            return s / (n - 1);
        });
        var p = cov.Inverse();
        return -p[0, 1] / Math.Sqrt(p[0, 0] * p[1, 1]);
    }

    [Theory]
    [InlineData(1, 40, 0)]
    [InlineData(2, 60, 1)]
    [InlineData(3, 25, 3)]
    [InlineData(4, 200, 5)]
    public void Partial_correlation_matches_the_precision_matrix(int seed, int n, int k)
    {
        var cols = Columns(seed, n, k);
        var r = ParCorr.PartialCorrelation(cols[0], cols[1], cols[2..]);
        Assert.Equal(ViaPrecision(cols), r, 10);
    }

    [Theory]
    [InlineData(0.1, 10)]
    [InlineData(-0.35, 27)]
    [InlineData(0.6, 5)]
    [InlineData(0.02, 2995)]
    [InlineData(0.9, 3)]
    public void P_value_is_the_two_sided_student_t_tail(double r, int df)
    {
        var t = r * Math.Sqrt(df / (1 - r * r));
        var expected = 2 * (1 - StudentT.CDF(0, 1, df, Math.Abs(t)));
        Assert.Equal(expected, ParCorr.PValue(r, df), 9);
    }

    [Fact]
    public void P_value_is_nan_without_degrees_of_freedom_and_zero_for_perfect_correlation()
    {
        Assert.True(double.IsNaN(ParCorr.PValue(0.5, 0)));
        Assert.Equal(0, ParCorr.PValue(1, 10));
    }

    [Fact]
    public void Session_test_uses_samples_from_two_tau_max_and_df_n_minus_2_minus_z()
    {
        // three series; test x0(t-2) -> x1(t) given x1(t-1), x2(t-3) with tau_max = 3: samples t = 6..T-1
        var data = SyntheticVar.Generate(3, 120, [new VarLink(0, 1, 2, 0.5), new VarLink(1, 1, 1, 0.3), new VarLink(2, 1, 3, 0.2)], seed: 5);
        var session = new ParCorr().Open(data, tauMax: 3);
        var result = session.Test(new LaggedVar(0, 2), new LaggedVar(1, 0), [new LaggedVar(1, 1), new LaggedVar(2, 3)]);

        var steps = Enumerable.Range(6, 114).ToArray();
        double[] Col(int v, int lag) => steps.Select(t => data[v, t - lag]).ToArray();
        var cols = new[] { Col(0, 2), Col(1, 0), Col(1, 1), Col(2, 3) };
        var r = ViaPrecision(cols);
        Assert.Equal(114, result.Samples);
        Assert.Equal(r, result.Value, 10);
        var t = r * Math.Sqrt(110 / (1 - r * r));
        Assert.Equal(2 * (1 - StudentT.CDF(0, 1, 110, Math.Abs(t))), result.PValue, 9);
    }

    [Fact]
    public void Missing_values_drop_the_steps_a_test_uses_and_no_others()
    {
        var clean = SyntheticVar.Generate(3, 200, [new VarLink(0, 1, 1, 0.5)], seed: 9);
        var series = Enumerable.Range(0, 3).Select(v => Enumerable.Range(0, 200).Select(t => clean[v, t]).ToArray()).ToArray();
        series[0][50] = double.NaN;  // used by x0(t-1) at t = 51
        series[1][80] = double.NaN;  // used by x1(t) at t = 80 and by the condition x1(t-1) at t = 81
        series[2][120] = double.NaN; // x2 is not part of the test: must not drop anything
        var data = new PcmciData(["a", "b", "c"], series);
        var result = new ParCorr().Open(data, tauMax: 1).Test(new LaggedVar(0, 1), new LaggedVar(1, 0), [new LaggedVar(1, 1)]);

        var steps = Enumerable.Range(2, 198).Where(t => t is not 51 and not 80 and not 81).ToArray();
        double[] Col(int v, int lag) => steps.Select(t => series[v][t - lag]).ToArray();
        Assert.Equal(steps.Length, result.Samples);
        Assert.Equal(ViaPrecision([Col(0, 1), Col(1, 0), Col(1, 1)]), result.Value, 10);
        Assert.Equal(ParCorr.PValue(result.Value, steps.Length - 3), result.PValue, 12);
    }

    [Theory]
    [InlineData(0.02)] // few rows dropped: taken off the window sums
    [InlineData(0.15)] // most rows of a 5-node test dropped: summed directly
    public void Masked_tests_with_lagged_conditions_match_a_direct_computation(double missingShare)
    {
        var clean = SyntheticVar.Generate(4, 400, SyntheticVar.RandomGraph(4, 2, seed: 3), seed: 3);
        var random = new Random(17);
        var series = Enumerable.Range(0, 4).Select(v => Enumerable.Range(0, 400).Select(t => random.NextDouble() < missingShare ? double.NaN : clean[v, t]).ToArray()).ToArray();
        var data = new PcmciData(["a", "b", "c", "d"], series);
        var session = new ParCorr().Open(data, tauMax: 2);
        LaggedVar x = new(2, 1), y = new(0, 0);
        LaggedVar[] z = [new(0, 1), new(3, 2), new(1, 4)];
        var result = session.Test(x, y, z);

        var nodes = new[] { x, y }.Concat(z).ToArray();
        var steps = Enumerable.Range(4, 396).Where(t => nodes.All(v => !double.IsNaN(series[v.Var][t - v.Lag]))).ToArray();
        var cols = nodes.Select(v => steps.Select(t => series[v.Var][t - v.Lag]).ToArray()).ToArray();
        Assert.Equal(steps.Length, result.Samples);
        Assert.True(steps.Length < 396);
        Assert.Equal(ViaPrecision(cols), result.Value, 10);
    }

    /// <summary>The textbook loop the vectorised elimination replaced: every row and column outside keep..k, one element at a time.</summary>
    private static void EliminateElementwise(double[] cov, int d, int keep)
    {
        for (var k = keep; k < d; k++)
        {
            var pivot = cov[k * d + k];
            if (!(pivot > ParCorr.CollinearTolerance)) continue;
            for (var a = 0; a < d; a++)
            {
                if (a >= keep && a <= k) continue;
                var f = cov[a * d + k] / pivot;
                if (f == 0) continue;
                for (var b = 0; b < d; b++)
                    if (b < keep || b > k) cov[a * d + b] -= f * cov[k * d + b];
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Elimination_gives_bit_for_bit_the_element_by_element_result(int keep)
    {
        var random = new Random(5);
        for (var d = keep; d <= 23; d++)
        {
            var cols = Columns(seed: 100 + d, n: 60, k: Math.Max(0, d - 2)).Take(d).ToArray();
            if (d > 4) cols[3] = cols[2]; // a collinear condition, skipped at its pivot
            var cov = new double[d * d];
            for (var a = 0; a < d; a++)
                for (var b = 0; b < d; b++)
                    cov[a * d + b] = cols[a].Zip(cols[b], (u, v) => u * v).Sum() / 60 + (a == b ? random.NextDouble() * 1e-3 : 0);
            var expected = (double[])cov.Clone();
            EliminateElementwise(expected, d, keep);
            ParCorr.Eliminate(cov, d, keep);
            for (var i = 0; i < cov.Length; i++)
                Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(cov[i]), $"d {d}, entry {i}: {expected[i]:R} against {cov[i]:R}");
        }
    }

    [Fact]
    public void A_duplicated_condition_is_dropped_as_collinear_not_a_failure()
    {
        var data = SyntheticVar.Generate(2, 300, [new VarLink(0, 1, 1, 0.4)], seed: 11);
        var session = new ParCorr().Open(data, tauMax: 2);
        var once = session.Test(new LaggedVar(0, 1), new LaggedVar(1, 0), [new LaggedVar(1, 1)]);
        var twice = session.Test(new LaggedVar(0, 1), new LaggedVar(1, 0), [new LaggedVar(1, 1), new LaggedVar(1, 1)]);
        Assert.Equal(once.Value, twice.Value, 10);
    }

    [Fact]
    public void Model_selection_score_is_t_log_rss_plus_twice_the_parameters()
    {
        // tigramite ParCorr.get_model_selection_criterion: T log(RSS) + 2 (1 + |parents|) on the standardised target
        var data = SyntheticVar.Generate(2, 150, [new VarLink(0, 1, 1, 0.6)], seed: 3);
        var session = new ParCorr().Open(data, tauMax: 1);
        var score = session.ModelSelectionScore(1, [new LaggedVar(0, 1)])!.Value;
        var steps = Enumerable.Range(2, 148).ToArray();
        var y = steps.Select(t => data[1, t]).ToArray();
        var x = steps.Select(t => data[0, t - 1]).ToArray();
        var r = ViaPrecision([y, x]);
        var rss = steps.Length * (1 - r * r);
        Assert.Equal(steps.Length * Math.Log(rss) + 4, score, 8);
    }
}
