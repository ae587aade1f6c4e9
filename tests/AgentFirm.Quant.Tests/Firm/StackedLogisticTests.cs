using AgentFirm.Quant.Firm;

namespace AgentFirm.Quant.Tests.Firm;

public sealed class StackedLogisticTests
{
    /// <summary>Σ log σ(±βᵀx) - λ/2 |β|², written out independently of the Newton solver.</summary>
    private static double PenalisedLogLikelihood(IReadOnlyList<(double[] X, bool Up)> calls, double[] beta, double ridge)
    {
        var sum = 0.0;
        foreach (var b in beta) sum -= 0.5 * ridge * b * b;
        foreach (var (x, up) in calls)
        {
            var z = 0.0;
            for (var j = 0; j < beta.Length; j++) z += beta[j] * x[j];
            sum += up ? -Math.Log(1 + Math.Exp(-z)) : -Math.Log(1 + Math.Exp(z));
        }
        return sum;
    }

    private static List<(double[] X, bool Up)> Planted(int count, int seed, Func<Random, double[]> inputs, Func<double[], double> logOdds)
    {
        var random = new Random(seed);
        var calls = new List<(double[], bool)>();
        for (var i = 0; i < count; i++)
        {
            var x = inputs(random);
            calls.Add((x, random.NextDouble() < OnlineLogistic.Sigmoid(logOdds(x))));
        }
        return calls;
    }

    [Fact]
    public void The_fit_is_the_maximum_of_the_penalised_likelihood_that_a_coordinate_grid_finds()
    {
        var calls = Planted(400, 3, r => [2 * r.NextDouble() - 1, 2 * r.NextDouble() - 1, 2 * r.NextDouble() - 1],
            x => 1.2 * x[0] - 0.6 * x[1]);
        var fit = new StackedLogistic(window: 400, ridge: 1.0);
        foreach (var (x, up) in calls) fit.Add(x, up);

        var beta = new[] { fit.Coefficient(0), fit.Coefficient(1), fit.Coefficient(2) };
        var best = PenalisedLogLikelihood(calls, beta, 1.0);
        // Independent check: no point on a fine grid around the answer, along every pair of axes, is better.
        for (var j = 0; j < 3; j++)
            for (var m = j + 1; m < 3; m++)
                for (var dj = -0.2; dj <= 0.2; dj += 0.01)
                    for (var dm = -0.2; dm <= 0.2; dm += 0.01)
                    {
                        var probe = (double[])beta.Clone();
                        probe[j] += dj;
                        probe[m] += dm;
                        Assert.True(PenalisedLogLikelihood(calls, probe, 1.0) <= best + 1e-9, $"{string.Join(", ", probe)} beats the fit {string.Join(", ", beta)}");
                    }
        Assert.InRange(beta[0], 0.7, 1.7);
        Assert.InRange(beta[1], -1.1, -0.2);
    }

    [Fact]
    public void The_standard_errors_are_the_inverse_hessian_diagonal()
    {
        // Worked by hand: with β = 0 (all calls balanced) each curvature is 1/4, so the penalised Hessian of two
        // orthogonal inputs ±1 on n calls each is diag(n/4 + λ) and the errors are 1/sqrt(n/4 + λ).
        var fit = new StackedLogistic(window: 400, ridge: 2.0);
        for (var i = 0; i < 100; i++)
        {
            fit.Add([1, 0], up: true);
            fit.Add([1, 0], up: false);
            fit.Add([0, -1], up: true);
            fit.Add([0, -1], up: false);
        }
        Assert.Equal(0, fit.Coefficient(0), 9);
        Assert.Equal(0, fit.Coefficient(1), 9);
        Assert.Equal(1 / Math.Sqrt(200 / 4.0 + 2), fit.StandardError(0), 9);
        Assert.Equal(1 / Math.Sqrt(200 / 4.0 + 2), fit.StandardError(1), 9);
    }

    [Fact]
    public void Independent_signals_both_count_and_an_echo_of_one_adds_nothing_more()
    {
        // Two agents reading independent signals, a third repeating the first: the first two earn weight
        // jointly, and the echo and its source share the first one's weight instead of doubling it.
        var calls = Planted(3000, 9, r =>
        {
            var a = 2 * r.NextDouble() - 1;
            return [a, 2 * r.NextDouble() - 1, a];
        }, x => 1.0 * x[0] + 0.8 * x[1]);
        var fit = new StackedLogistic(window: 3000, ridge: 1.0);
        foreach (var (x, up) in calls) fit.Add(x, up);

        Assert.True(fit.Shrunk(1, 1) > 0.4, $"second signal {fit.Coefficient(1)} ± {fit.StandardError(1)}");
        Assert.InRange(fit.Coefficient(0) + fit.Coefficient(2), 0.7, 1.3);
    }

    [Fact]
    public void A_noise_input_is_shrunk_to_nothing_in_most_histories()
    {
        // Shrunk by two standard errors a noise coefficient should be zero in about 95% of histories; forty
        // independent ones may keep at most four (the 95th percentile of Binomial(40, 0.05)).
        var kept = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var calls = Planted(750, 100 + seed, r => [2 * r.NextDouble() - 1, 2 * r.NextDouble() - 1], x => 1.0 * x[0]);
            var fit = new StackedLogistic(window: 750, ridge: 1.0, refitEvery: 50);
            foreach (var (x, up) in calls) fit.Add(x, up);
            if (fit.Shrunk(1, 2) != 0) kept++;
            Assert.True(fit.Shrunk(0, 2) > 0, $"seed {seed}: the informed input lost its weight");
        }
        Assert.True(kept <= 4, $"{kept} of 40 noise histories kept weight");
    }

    [Fact]
    public void Calls_older_than_the_window_are_forgotten_and_broken_inputs_are_skipped()
    {
        var fit = new StackedLogistic(window: 50, ridge: 0.5);
        for (var i = 0; i < 50; i++) fit.Add([1.0], up: false);
        for (var i = 0; i < 50; i++) fit.Add([1.0], up: true);
        fit.Add([double.NaN], up: false);
        Assert.Equal(50, fit.Count);
        Assert.True(fit.Coefficient(0) > 2, $"coefficient {fit.Coefficient(0)}");
    }
}
