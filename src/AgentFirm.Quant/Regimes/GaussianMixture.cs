namespace AgentFirm.Quant.Regimes;

/// <summary>
/// A mixture of diagonal Gaussians fitted by EM (Dempster, Laird, Rubin 1977): the same states as the
/// HMM without time dynamics, so each bar's state probabilities come from that bar alone. It is the
/// baseline that shows what the HMM's persistence buys.
/// </summary>
public sealed class GaussianMixture : IStateModel
{
    private readonly double[] _weights;
    private readonly double[] _means;
    private readonly double[] _variances;

    public GaussianMixture(double[] weights, double[,] means, double[,] variances)
        : this(weights, Flatten(means), Flatten(variances), means.GetLength(1))
    {
    }

    private GaussianMixture(double[] weights, double[] means, double[] variances, int dimension)
    {
        States = weights.Length;
        Dimension = dimension;
        if (States < 1 || means.Length != States * dimension || variances.Length != States * dimension)
            throw new ArgumentException("Inconsistent mixture parameter shapes.");
        if (weights.Any(w => !(w >= 0)) || Math.Abs(weights.Sum() - 1) > 1e-6) throw new ArgumentException("Mixture weights must be non-negative and sum to 1.");
        if (variances.Any(v => !(v > 0) || !double.IsFinite(v))) throw new ArgumentException("Mixture variances must be positive and finite.");
        _weights = weights;
        _means = means;
        _variances = variances;
    }

    public int States { get; }
    public int Dimension { get; }
    public ReadOnlySpan<double> Initial => _weights;
    public double Weight(int state) => _weights[state];
    public double[] LongRunShares() => (double[])_weights.Clone();
    public double Mean(int state, int dim) => _means[state * Dimension + dim];
    public double Variance(int state, int dim) => _variances[state * Dimension + dim];

    /// <summary>No dynamics: the prior for every bar is the mixture weights, whatever came before.</summary>
    public void Predict(ReadOnlySpan<double> posterior, Span<double> prior) => _weights.CopyTo(prior);

    public double LogLikelihood(ObservationBlock obs)
    {
        var b = new double[obs.Count * States];
        var rowMax = new double[obs.Count];
        DiagonalGaussian.ScaledDensities(obs, States, _means, _variances, b, rowMax);
        var total = 0.0;
        for (var t = 0; t < obs.Count; t++)
        {
            var sum = 0.0;
            for (var k = 0; k < States; k++) sum += _weights[k] * b[t * States + k];
            total += Math.Log(Math.Max(sum, double.Epsilon)) + rowMax[t];
        }
        return total;
    }

    /// <summary>EM from several seeded starts (plus a warm start when given); the best log-likelihood wins.</summary>
    public static StateModelFit Fit(ObservationBlock obs, StateFitOptions options, GaussianMixture? warmStart = null)
    {
        options.Validate();
        if (obs.Count < 1) throw new ArgumentException("EM needs at least one observation.", nameof(obs));
        var (starts, floor) = MultiStart.Plan(obs, options, warmStart, (r, variance) => Start(obs, options, r, variance));
        return MultiStart.Run(starts, options, (start, o, restart) => RunEm(obs, start, o, floor, restart));
    }

    private static GaussianMixture Start(ObservationBlock obs, StateFitOptions options, int restart, double[] variance)
    {
        var k = options.States;
        var dim = obs.Dimension;
        var variances = new double[k * dim];
        for (var s = 0; s < k; s++)
            for (var d = 0; d < dim; d++) variances[s * dim + d] = variance[d];
        return new GaussianMixture(Enumerable.Repeat(1.0 / k, k).ToArray(), DiagonalGaussian.StartMeans(obs, k, restart, options.Seed), variances, dim);
    }

    private static StateModelFit RunEm(ObservationBlock obs, GaussianMixture start, StateFitOptions options, double[] floor, int restart)
    {
        int T = obs.Count, k = start.States, dim = obs.Dimension;
        var weights = (double[])start._weights.Clone();
        var means = (double[])start._means.Clone();
        var variances = (double[])start._variances.Clone();
        for (var i = 0; i < variances.Length; i++) variances[i] = Math.Max(variances[i], floor[i % dim]);
        var b = new double[T * k];
        var rowMax = new double[T];
        var occupancy = new double[k];
        var sums = new double[k * dim];
        var squares = new double[k * dim];
        var trace = new List<double>();
        var x = obs.Values;
        var iterations = 0;
        for (; iterations < options.MaxIterations; iterations++)
        {
            DiagonalGaussian.ScaledDensities(obs, k, means, variances, b, rowMax);
            var logLikelihood = 0.0;
            Array.Clear(occupancy);
            Array.Clear(sums);
            Array.Clear(squares);
            for (var t = 0; t < T; t++)
            {
                var total = 0.0;
                for (var s = 0; s < k; s++) total += weights[s] * b[t * k + s];
                total = Math.Max(total, double.Epsilon);
                logLikelihood += Math.Log(total) + rowMax[t];
                for (var s = 0; s < k; s++)
                {
                    var r = weights[s] * b[t * k + s] / total;
                    occupancy[s] += r;
                    for (var d = 0; d < dim; d++)
                    {
                        var v = x[t * dim + d];
                        sums[s * dim + d] += r * v;
                        squares[s * dim + d] += r * v * v;
                    }
                }
            }
            trace.Add(logLikelihood);
            if (trace.Count > 1 && logLikelihood - trace[^2] < options.Tolerance * T) break;
            for (var s = 0; s < k; s++)
            {
                weights[s] = occupancy[s] / T;
                if (!(occupancy[s] > 1e-10)) continue;
                for (var d = 0; d < dim; d++)
                {
                    var m = sums[s * dim + d] / occupancy[s];
                    means[s * dim + d] = m;
                    variances[s * dim + d] = Math.Max(squares[s * dim + d] / occupancy[s] - m * m, floor[d]);
                }
            }
            var wsum = weights.Sum();
            for (var s = 0; s < k; s++) weights[s] /= wsum;
        }
        var model = new GaussianMixture(weights, means, variances, dim);
        var final = model.LogLikelihood(obs);
        if (trace.Count == 0 || Math.Abs(trace[^1] - final) > 1e-9 * Math.Max(1, Math.Abs(final))) trace.Add(final);
        return new StateModelFit(model, final, trace, restart, iterations);
    }

    private static double[] Flatten(double[,] m)
    {
        var flat = new double[m.Length];
        var cols = m.GetLength(1);
        for (var i = 0; i < m.GetLength(0); i++)
            for (var j = 0; j < cols; j++) flat[i * cols + j] = m[i, j];
        return flat;
    }
}
