using AgentFirm.Quant.Regimes;

namespace AgentFirm.Quant.Tests.Regimes;

public sealed class GaussianHmmTests
{
    // A small, deliberately lopsided 3-state, 2-dimensional model for the brute-force checks.
    private static GaussianHmm SmallModel() => new(
        [0.5, 0.3, 0.2],
        new double[,] { { 0.8, 0.15, 0.05 }, { 0.1, 0.7, 0.2 }, { 0.25, 0.25, 0.5 } },
        new double[,] { { 0.0, -0.5 }, { 0.4, 0.1 }, { -1.0, 0.9 } },
        new double[,] { { 0.5, 0.2 }, { 1.0, 0.3 }, { 2.0, 0.4 } });

    private static readonly double[][] ShortSequence =
    [
        [0.1, -0.4], [0.5, 0.0], [-0.2, 0.3], [-1.3, 1.1], [-0.7, 0.8], [0.2, -0.2], [0.3, 0.05],
    ];

    /// <summary>The diagonal Gaussian density written out directly, independent of the library's code.</summary>
    private static double Density(GaussianHmm m, int state, double[] x)
    {
        var p = 1.0;
        for (var d = 0; d < x.Length; d++)
        {
            var v = m.Variance(state, d);
            var e = x[d] - m.Mean(state, d);
            p *= Math.Exp(-e * e / (2 * v)) / Math.Sqrt(2 * Math.PI * v);
        }
        return p;
    }

    /// <summary>Every state path of the given length with its joint probability P(path, x_0..len-1).</summary>
    private static IEnumerable<(int[] Path, double Joint)> Paths(GaussianHmm m, double[][] x, int length)
    {
        var k = m.States;
        var total = (int)Math.Pow(k, length);
        for (var code = 0; code < total; code++)
        {
            var path = new int[length];
            var c = code;
            for (var t = 0; t < length; t++) { path[t] = c % k; c /= k; }
            var joint = m.Initial[path[0]] * Density(m, path[0], x[0]);
            for (var t = 1; t < length; t++) joint *= m.Transition(path[t - 1], path[t]) * Density(m, path[t], x[t]);
            yield return (path, joint);
        }
    }

    [Fact]
    public void Forward_log_likelihood_and_filtered_probabilities_match_enumeration_of_every_state_path()
    {
        var model = SmallModel();
        var obs = ObservationBlock.From(ShortSequence);
        var T = ShortSequence.Length;

        var likelihood = Paths(model, ShortSequence, T).Sum(p => p.Joint);
        Assert.Equal(Math.Log(likelihood), model.LogLikelihood(obs), 10);

        var filtered = model.Filter(obs);
        var streaming = new StateFilter(model);
        for (var t = 0; t < T; t++)
        {
            // P(s_t = j | x_0..t) by brute force over every path of length t + 1.
            var byState = new double[model.States];
            foreach (var (path, joint) in Paths(model, ShortSequence, t + 1)) byState[path[t]] += joint;
            var norm = byState.Sum();
            streaming.Step(ShortSequence[t]);
            for (var j = 0; j < model.States; j++)
            {
                Assert.Equal(byState[j] / norm, filtered[t * model.States + j], 12);
                Assert.Equal(byState[j] / norm, streaming.Probabilities[j], 12);
            }
        }
    }

    [Fact]
    public void One_Baum_Welch_step_equals_the_re_estimate_from_enumerated_posteriors()
    {
        var model = SmallModel();
        var x = ShortSequence;
        int T = x.Length, k = model.States, dim = 2;
        var paths = Paths(model, x, T).ToArray();
        var likelihood = paths.Sum(p => p.Joint);
        var gamma = new double[T, k];
        var xi = new double[k, k];
        foreach (var (path, joint) in paths)
        {
            var w = joint / likelihood;
            for (var t = 0; t < T; t++) gamma[t, path[t]] += w;
            for (var t = 0; t < T - 1; t++) xi[path[t], path[t + 1]] += w;
        }

        var next = model.Reestimate(ObservationBlock.From(x), new StateFitOptions { States = k, VarianceFloor = 1e-9 });

        for (var i = 0; i < k; i++)
        {
            Assert.Equal(gamma[0, i], next.Initial[i], 10);
            var leaving = Enumerable.Range(0, T - 1).Sum(t => gamma[t, i]);
            for (var j = 0; j < k; j++) Assert.Equal(xi[i, j] / leaving, next.Transition(i, j), 10);
            var occupancy = Enumerable.Range(0, T).Sum(t => gamma[t, i]);
            for (var d = 0; d < dim; d++)
            {
                var mean = Enumerable.Range(0, T).Sum(t => gamma[t, i] * x[t][d]) / occupancy;
                var variance = Enumerable.Range(0, T).Sum(t => gamma[t, i] * (x[t][d] - mean) * (x[t][d] - mean)) / occupancy;
                Assert.Equal(mean, next.Mean(i, d), 10);
                Assert.Equal(variance, next.Variance(i, d), 10);
            }
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(25.0)]
    public void Baum_Welch_never_lowers_its_objective_from_any_start(double stayPseudoCount)
    {
        var (x, _) = PlantedSequence(seed: 5, count: 600);
        var fit = GaussianHmm.Fit(ObservationBlock.From(x), new StateFitOptions { States = 3, Restarts = 5, Tolerance = 0, MaxIterations = 60, StayPseudoCount = stayPseudoCount });
        var trace = fit.LogLikelihoodTrace;
        Assert.True(trace.Count > 10);
        for (var i = 1; i < trace.Count; i++)
            Assert.True(trace[i] >= trace[i - 1] - 1e-9 * Math.Abs(trace[i - 1]), $"step {i}: {trace[i - 1]} -> {trace[i]}");
    }

    [Fact]
    public void Recovers_three_planted_states_their_persistence_and_the_hidden_path()
    {
        var (x, truth) = PlantedSequence(seed: 11, count: 2000);
        var fit = GaussianHmm.Fit(ObservationBlock.From(x), new StateFitOptions { States = 3, Restarts = 4 });
        var model = (GaussianHmm)fit.Model;

        // Fitted states in order of their second coordinate line up with the planted ones (0 < 1 < 2 there).
        var order = Enumerable.Range(0, 3).OrderBy(s => model.Mean(s, 1)).ToArray();
        for (var planted = 0; planted < 3; planted++)
        {
            var s = order[planted];
            Near(PlantedMeans[planted, 0], model.Mean(s, 0), 0.1);
            Near(PlantedMeans[planted, 1], model.Mean(s, 1), 0.1);
            Assert.InRange(Math.Sqrt(model.Variance(s, 1)), 0.25, 0.35);
            Assert.InRange(model.Transition(s, s), 0.93, 0.99);
        }

        var filtered = model.Filter(ObservationBlock.From(x));
        var hits = 0;
        for (var t = 0; t < x.Length; t++)
        {
            var best = Enumerable.Range(0, 3).MaxBy(s => filtered[t * 3 + s]);
            if (best == order[truth[t]]) hits++;
        }
        Assert.True(hits >= 0.95 * x.Length, $"filtered state matched the planted one on {hits} of {x.Length} steps");
    }

    [Fact]
    public void Filtering_a_longer_sequence_leaves_every_earlier_probability_unchanged_bit_for_bit()
    {
        var (x, _) = PlantedSequence(seed: 3, count: 300);
        var model = (GaussianHmm)GaussianHmm.Fit(ObservationBlock.From(x[..200]), new StateFitOptions { States = 3 }).Model;
        var shorter = model.Filter(ObservationBlock.From(x[..150]));
        var longer = model.Filter(ObservationBlock.From(x));
        for (var i = 0; i < shorter.Length; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(shorter[i]), BitConverter.DoubleToInt64Bits(longer[i]));
    }

    [Fact]
    public void A_constant_dimension_is_held_at_the_variance_floor_instead_of_collapsing()
    {
        var x = Enumerable.Range(0, 200).Select(t => new[] { t % 2 == 0 ? 1.0 : -1.0, 0.5 }).ToArray();
        x[0][1] = 0.6; // the data's variance in dimension 1 is tiny but not zero
        var fit = GaussianHmm.Fit(ObservationBlock.From(x), new StateFitOptions { States = 2, VarianceFloor = 0.01 });
        var dataVariance = x.Select(r => r[1]).Sum(v => (v - x.Average(r => r[1])) * (v - x.Average(r => r[1]))) / x.Length;
        for (var s = 0; s < 2; s++) Assert.True(fit.Model.Variance(s, 1) >= 0.01 * dataVariance * (1 - 1e-12));
        Assert.True(double.IsFinite(fit.LogLikelihood));
    }

    internal static void Near(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"expected {expected} +/- {tolerance}, got {actual}");

    internal static readonly double[,] PlantedMeans = { { 0.0, -1.0 }, { 0.5, 0.0 }, { -1.0, 1.0 } };

    /// <summary>A sticky three-state chain (stay 0.96) with diagonal Gaussian emissions, sd 0.3 in each dimension.</summary>
    internal static (double[][] X, int[] States) PlantedSequence(int seed, int count)
    {
        var rng = new Random(seed);
        var x = new double[count][];
        var states = new int[count];
        var s = 0;
        for (var t = 0; t < count; t++)
        {
            if (t > 0 && rng.NextDouble() > 0.96) s = (s + 1 + rng.Next(2)) % 3;
            states[t] = s;
            x[t] = [PlantedMeans[s, 0] + 0.3 * Normal(rng), PlantedMeans[s, 1] + 0.3 * Normal(rng)];
        }
        return (x, states);
    }

    internal static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
