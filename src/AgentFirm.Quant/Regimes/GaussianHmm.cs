namespace AgentFirm.Quant.Regimes;

/// <summary>
/// A hidden Markov model with diagonal-Gaussian emissions (Hamilton 1989 regime switching; Rabiner 1989,
/// "A tutorial on hidden Markov models", for the scaled forward-backward recursions and the Baum-Welch
/// re-estimation used here). Parameters are immutable once fitted; filtering goes through
/// <see cref="RegimeFilter"/> or <see cref="Filter"/>.
/// </summary>
public sealed class GaussianHmm : IStateModel
{
    private readonly double[] _initial;
    private readonly double[] _transition; // row-major K x K: P(next = j | now = i) at [i * K + j]
    private readonly double[] _means;      // row-major K x D
    private readonly double[] _variances;  // row-major K x D

    public GaussianHmm(double[] initial, double[,] transition, double[,] means, double[,] variances)
        : this(initial, Flatten(transition), Flatten(means), Flatten(variances), means.GetLength(1))
    {
        if (transition.GetLength(0) != States || transition.GetLength(1) != States || means.GetLength(0) != States || variances.GetLength(0) != States || variances.GetLength(1) != Dimension)
            throw new ArgumentException("The transition matrix must be K x K and the means and variances K x D, K the length of the initial distribution.");
    }

    private GaussianHmm(double[] initial, double[] transition, double[] means, double[] variances, int dimension)
    {
        States = initial.Length;
        Dimension = dimension;
        if (States < 1 || dimension < 1 || transition.Length != States * States || means.Length != States * dimension || variances.Length != States * dimension)
            throw new ArgumentException("Inconsistent HMM parameter shapes.");
        CheckDistribution(initial, "initial distribution");
        for (var i = 0; i < States; i++) CheckDistribution(transition.AsSpan(i * States, States), $"transition row {i}");
        if (means.Any(m => !double.IsFinite(m))) throw new ArgumentException("HMM means must be finite.");
        if (variances.Any(v => !(v > 0) || !double.IsFinite(v))) throw new ArgumentException("HMM variances must be positive and finite.");
        _initial = initial;
        _transition = transition;
        _means = means;
        _variances = variances;
    }

    public int States { get; }
    public int Dimension { get; }
    public ReadOnlySpan<double> Initial => _initial;
    public double Transition(int from, int to) => _transition[from * States + to];
    public double Mean(int state, int dim) => _means[state * Dimension + dim];
    public double Variance(int state, int dim) => _variances[state * Dimension + dim];

    public void Predict(ReadOnlySpan<double> posterior, Span<double> prior)
    {
        var k = States;
        for (var j = 0; j < k; j++) prior[j] = 0;
        for (var i = 0; i < k; i++)
        {
            var p = posterior[i];
            if (p == 0) continue;
            var row = _transition.AsSpan(i * k, k);
            for (var j = 0; j < k; j++) prior[j] += p * row[j];
        }
    }

    /// <summary>The stationary distribution of the chain (pi = pi A), by power iteration; the long-run share of each state.</summary>
    public double[] LongRunShares() => Stationary();

    public double[] Stationary()
    {
        var pi = Enumerable.Repeat(1.0 / States, States).ToArray();
        var next = new double[States];
        for (var iteration = 0; iteration < 10_000; iteration++)
        {
            Predict(pi, next);
            var change = 0.0;
            for (var j = 0; j < States; j++) change += Math.Abs(next[j] - pi[j]);
            (pi, next) = (next, pi);
            if (change < 1e-13) break;
        }
        return pi;
    }

    /// <summary>log P(x_1..T) by the scaled forward recursion.</summary>
    public double LogLikelihood(ObservationBlock obs) => Forward(obs, filtered: null);

    /// <summary>Filtered probabilities P(state_t | x_1..t) for every t, row-major T x K: each row uses only observations up to its own.</summary>
    public double[] Filter(ObservationBlock obs)
    {
        var filtered = new double[obs.Count * States];
        Forward(obs, filtered);
        return filtered;
    }

    private double Forward(ObservationBlock obs, double[]? filtered)
    {
        CheckShape(obs);
        var k = States;
        var b = new double[obs.Count * k];
        var rowMax = new double[obs.Count];
        DiagonalGaussian.ScaledDensities(obs, k, _means, _variances, b, rowMax);
        var alpha = new double[obs.Count * k];
        var c = new double[obs.Count];
        var logLikelihood = ForwardScaled(obs.Count, k, _initial, _transition, b, alpha, c);
        for (var t = 0; t < obs.Count; t++) logLikelihood += rowMax[t];
        if (filtered is not null) Array.Copy(alpha, filtered, alpha.Length);
        return logLikelihood;
    }

    /// <summary>
    /// Scaled forward pass: alpha_t = normalise((alpha_{t-1} A) o b_t), c_t the normaliser, so alpha_t is the
    /// filtered distribution and sum log c_t the log-likelihood of the (row-scaled) densities b.
    /// </summary>
    private static double ForwardScaled(int T, int k, double[] initial, double[] a, double[] b, double[] alpha, double[] c)
    {
        var logLikelihood = 0.0;
        for (var t = 0; t < T; t++)
        {
            var sum = 0.0;
            for (var j = 0; j < k; j++)
            {
                double prior;
                if (t == 0) prior = initial[j];
                else
                {
                    prior = 0;
                    for (var i = 0; i < k; i++) prior += alpha[(t - 1) * k + i] * a[i * k + j];
                }
                var v = prior * b[t * k + j];
                alpha[t * k + j] = v;
                sum += v;
            }
            if (!(sum > 0)) sum = double.Epsilon; // every state impossible: keep going rather than divide by zero
            c[t] = sum;
            for (var j = 0; j < k; j++) alpha[t * k + j] /= sum;
            logLikelihood += Math.Log(sum);
        }
        return logLikelihood;
    }

    /// <summary>
    /// Baum-Welch from several seeded starts (plus <paramref name="warmStart"/>, when given, as one more),
    /// keeping the fit with the highest log-likelihood. Each M-step is the exact maximiser under the
    /// variance floor, so the likelihood never falls from one iteration to the next.
    /// </summary>
    public static StateModelFit Fit(ObservationBlock obs, StateFitOptions options, GaussianHmm? warmStart = null)
    {
        options.Validate();
        if (obs.Count < 2) throw new ArgumentException("Baum-Welch needs at least two observations.", nameof(obs));
        var (starts, floor) = MultiStart.Plan(obs, options, warmStart, (r, variance) => Start(obs, options, r, variance));
        var work = new Workspace(obs.Count, options.States, obs.Dimension);
        return MultiStart.Run(starts, options, (start, o, restart) => RunEm(obs, start, o, floor, work, restart));
    }

    /// <summary>One Baum-Welch iteration (E-step, then M-step under the variance floor) from this model: the unit EM repeats.</summary>
    public GaussianHmm Reestimate(ObservationBlock obs, StateFitOptions options)
    {
        options.Validate();
        CheckShape(obs);
        if (obs.Count < 2) throw new ArgumentException("Baum-Welch needs at least two observations.", nameof(obs));
        var (_, variance) = DiagonalGaussian.Moments(obs);
        var floor = variance.Select(v => v * options.VarianceFloor).ToArray();
        var fit = RunEm(obs, this, options with { MaxIterations = 1, Tolerance = 0 }, floor, new Workspace(obs.Count, States, obs.Dimension), -1);
        return (GaussianHmm)fit.Model;
    }

    private static GaussianHmm Start(ObservationBlock obs, StateFitOptions options, int restart, double[] variance)
    {
        var k = options.States;
        var dim = obs.Dimension;
        var means = DiagonalGaussian.StartMeans(obs, k, restart, options.Seed);
        var variances = new double[k * dim];
        for (var s = 0; s < k; s++)
            for (var d = 0; d < dim; d++) variances[s * dim + d] = variance[d];
        // Regimes persist: start sticky (0.9 to stay) so EM looks for slow states before fast ones.
        var transition = new double[k * k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++) transition[i * k + j] = k == 1 ? 1 : i == j ? 0.9 : 0.1 / (k - 1);
        return new GaussianHmm(Enumerable.Repeat(1.0 / k, k).ToArray(), transition, means, variances, dim);
    }

    private sealed class Workspace(int T, int k, int dim)
    {
        public readonly double[] B = new double[T * k];
        public readonly double[] RowMax = new double[T];
        public readonly double[] Alpha = new double[T * k];
        public readonly double[] Beta = new double[T * k];
        public readonly double[] C = new double[T];
        public readonly double[] Xi = new double[k * k];
        public readonly double[] U = new double[k];
        public readonly double[] Occupancy = new double[k];
        public readonly double[] WeightedSum = new double[k * dim];
        public readonly double[] WeightedSquares = new double[k * dim];
    }

    private static StateModelFit RunEm(ObservationBlock obs, GaussianHmm start, StateFitOptions options, double[] floor, Workspace w, int restart)
    {
        int T = obs.Count, k = start.States, dim = obs.Dimension;
        var initial = (double[])start._initial.Clone();
        var a = (double[])start._transition.Clone();
        var means = (double[])start._means.Clone();
        var variances = (double[])start._variances.Clone();
        for (var i = 0; i < variances.Length; i++) variances[i] = Math.Max(variances[i], floor[i % dim]);
        var trace = new List<double>();
        var x = obs.Values;
        var iterations = 0;
        for (; iterations < options.MaxIterations; iterations++)
        {
            // E-step: scaled forward-backward (Rabiner 1989, section V.A).
            DiagonalGaussian.ScaledDensities(obs, k, means, variances, w.B, w.RowMax);
            var logLikelihood = ForwardScaled(T, k, initial, a, w.B, w.Alpha, w.C);
            for (var t = 0; t < T; t++) logLikelihood += w.RowMax[t];
            logLikelihood += StayPenalty(a, k, options.StayPseudoCount);
            trace.Add(logLikelihood);
            if (trace.Count > 1 && logLikelihood - trace[^2] < options.Tolerance * T) break;

            // Backward pass and expected transitions together: with u_j = b_{t+1}(j) beta_{t+1}(j) / c_{t+1},
            // beta_t(i) = sum_j A_ij u_j and xi_t(i, j) = alpha_t(i) A_ij u_j.
            Array.Clear(w.Xi);
            for (var j = 0; j < k; j++) w.Beta[(T - 1) * k + j] = 1;
            for (var t = T - 2; t >= 0; t--)
            {
                var next = (t + 1) * k;
                for (var j = 0; j < k; j++) w.U[j] = w.B[next + j] * w.Beta[next + j] / w.C[t + 1];
                for (var i = 0; i < k; i++)
                {
                    var sum = 0.0;
                    var ai = w.Alpha[t * k + i];
                    for (var j = 0; j < k; j++)
                    {
                        var v = a[i * k + j] * w.U[j];
                        sum += v;
                        w.Xi[i * k + j] += ai * v;
                    }
                    w.Beta[t * k + i] = sum;
                }
            }

            // Occupancies gamma = alpha o beta (already normalised by the scaling) and the weighted moments.
            Array.Clear(w.Occupancy);
            Array.Clear(w.WeightedSum);
            Array.Clear(w.WeightedSquares);
            for (var t = 0; t < T; t++)
            {
                for (var i = 0; i < k; i++)
                {
                    var gamma = w.Alpha[t * k + i] * w.Beta[t * k + i];
                    if (t == 0) initial[i] = gamma;
                    w.Occupancy[i] += gamma;
                    for (var d = 0; d < dim; d++)
                    {
                        var v = x[t * dim + d];
                        w.WeightedSum[i * dim + d] += gamma * v;
                        w.WeightedSquares[i * dim + d] += gamma * v * v;
                    }
                }
            }

            // M-step. A state nobody visits keeps its old parameters rather than becoming NaN.
            Normalise(initial);
            for (var i = 0; i < k; i++)
            {
                // With the stay prior the row maximiser is (xi_ij + c [i = j]) / (sum_j xi_ij + c).
                w.Xi[i * k + i] += options.StayPseudoCount;
                var rowSum = 0.0;
                for (var j = 0; j < k; j++) rowSum += w.Xi[i * k + j];
                if (rowSum > 1e-300)
                    for (var j = 0; j < k; j++) a[i * k + j] = w.Xi[i * k + j] / rowSum;
                var n = w.Occupancy[i];
                if (!(n > 1e-10)) continue;
                for (var d = 0; d < dim; d++)
                {
                    var m = w.WeightedSum[i * dim + d] / n;
                    means[i * dim + d] = m;
                    // Centre the second moment on the new mean; floored, which is the constrained maximiser.
                    var v = w.WeightedSquares[i * dim + d] / n - m * m;
                    variances[i * dim + d] = Math.Max(v, floor[d]);
                }
            }
        }
        var model = new GaussianHmm(initial, a, means, variances, dim);
        var final = model.LogLikelihood(obs) + StayPenalty(a, k, options.StayPseudoCount);
        if (trace.Count == 0 || trace[^1] != final) trace.Add(final);
        return new StateModelFit(model, final, trace, restart, iterations);
    }

    /// <summary>The log of the (unnormalised) Dirichlet stay prior, c * sum_i log A_ii; 0 without a prior.</summary>
    private static double StayPenalty(double[] a, int k, double c)
    {
        if (c == 0) return 0;
        var sum = 0.0;
        for (var i = 0; i < k; i++) sum += Math.Log(a[i * k + i]);
        return c * sum;
    }

    private static void Normalise(double[] p)
    {
        var sum = p.Sum();
        if (!(sum > 0)) { Array.Fill(p, 1.0 / p.Length); return; }
        for (var i = 0; i < p.Length; i++) p[i] /= sum;
    }

    private void CheckShape(ObservationBlock obs)
    {
        if (obs.Dimension != Dimension) throw new ArgumentException($"Observations have {obs.Dimension} dimensions, the model {Dimension}.", nameof(obs));
    }

    private static void CheckDistribution(ReadOnlySpan<double> p, string what)
    {
        var sum = 0.0;
        foreach (var v in p)
        {
            if (!(v >= 0) || v > 1 + 1e-9) throw new ArgumentException($"The {what} has a probability outside [0, 1]: {v}.");
            sum += v;
        }
        if (Math.Abs(sum - 1) > 1e-6) throw new ArgumentException($"The {what} sums to {sum}, not 1.");
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
