namespace AgentFirm.Quant.Regimes;

/// <summary>
/// A fitted model of hidden market states, each emitting observations from a Gaussian with a diagonal
/// covariance. The hidden Markov model and the mixture share this face, so the regime detector can filter
/// with either: the prior over the next state comes from <see cref="Predict"/> (the transition matrix for
/// the HMM, the fixed weights for the mixture), and Bayes' rule with the emission density does the rest.
/// </summary>
public interface IStateModel
{
    int States { get; }
    int Dimension { get; }

    /// <summary>Mean of observation dimension <paramref name="dim"/> in state <paramref name="state"/>.</summary>
    double Mean(int state, int dim);

    double Variance(int state, int dim);

    /// <summary>The prior over the first observation's state.</summary>
    ReadOnlySpan<double> Initial { get; }

    /// <summary>The long-run share of time in each state (stationary distribution or mixture weights).</summary>
    double[] LongRunShares();

    /// <summary>The prior over the next state given the filtered probabilities now; writes <paramref name="prior"/>, allocates nothing.</summary>
    void Predict(ReadOnlySpan<double> posterior, Span<double> prior);
}

/// <summary>The outcome of fitting a state model by EM: the best restart and its log-likelihood path.</summary>
public sealed record StateModelFit(IStateModel Model, double LogLikelihood, IReadOnlyList<double> LogLikelihoodTrace, int Restart, int Iterations);

/// <summary>Fitting settings shared by the HMM and the mixture.</summary>
public sealed record StateFitOptions
{
    public int States { get; init; } = 4;

    /// <summary>EM runs from different seeded starts (besides a warm start, when one is given); the best log-likelihood wins.</summary>
    public int Restarts { get; init; } = 4;

    /// <summary>
    /// With more than one start, each runs only this many EM iterations; the best of them then runs on to
    /// convergence. Starts that will lose usually show it within a few iterations, so this cuts a refit's cost
    /// several times over. 0 runs every start to convergence.
    /// </summary>
    public int ProbeIterations { get; init; } = 8;

    /// <summary>Which start the fresh runs begin with: 0 the quantile start, 1 the tail-state start, 2 on seeded random draws.</summary>
    public int FirstStart { get; init; }

    public int MaxIterations { get; init; } = 100;

    /// <summary>
    /// EM stops when an iteration gains less than this in log-likelihood per observation. EM crawls near its
    /// optimum; 1e-5 per observation leaves the states where they will end up and keeps a refit to tens of iterations.
    /// </summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <summary>Smallest variance a state may take, as a fraction of the data's variance in that dimension: keeps a state from collapsing onto a few points.</summary>
    public double VarianceFloor { get; init; } = 1e-3;

    public ulong Seed { get; init; } = 17;

    /// <summary>
    /// HMM only: a Dirichlet prior adding this many pseudo-transitions from each state to itself. Regimes last
    /// weeks, and a maximum-likelihood fit on a few hundred noisy bars learns chains that flip too readily;
    /// the prior makes EM maximise log-likelihood + StayPseudoCount * sum_i log A_ii instead (the trace then
    /// records that penalised objective, which EM still never lowers). 0 is plain maximum likelihood.
    /// </summary>
    public double StayPseudoCount { get; init; }

    public void Validate()
    {
        if (!(StayPseudoCount >= 0) || !double.IsFinite(StayPseudoCount)) throw new ArgumentException($"{nameof(StayPseudoCount)} must be a finite number >= 0, got {StayPseudoCount}.", nameof(StayPseudoCount));
        if (States < 1) throw new ArgumentException($"{nameof(States)} must be at least 1, got {States}.", nameof(States));
        if (Restarts < 0) throw new ArgumentException($"{nameof(Restarts)} must be at least 0 (0 only beside a warm start), got {Restarts}.", nameof(Restarts));
        if (ProbeIterations < 0) throw new ArgumentException($"{nameof(ProbeIterations)} must be at least 0, got {ProbeIterations}.", nameof(ProbeIterations));
        if (FirstStart < 0) throw new ArgumentException($"{nameof(FirstStart)} must be at least 0, got {FirstStart}.", nameof(FirstStart));
        if (MaxIterations < 1) throw new ArgumentException($"{nameof(MaxIterations)} must be at least 1, got {MaxIterations}.", nameof(MaxIterations));
        if (!(Tolerance >= 0)) throw new ArgumentException($"{nameof(Tolerance)} must be >= 0, got {Tolerance}.", nameof(Tolerance));
        if (!(VarianceFloor > 0 && VarianceFloor < 1)) throw new ArgumentException($"{nameof(VarianceFloor)} must be in (0, 1), got {VarianceFloor}.", nameof(VarianceFloor));
    }
}

/// <summary>Runs EM from several starts: short probes when there are several, then the best one to convergence.</summary>
internal static class MultiStart
{
    /// <summary>
    /// The starts of a multi-start fit: seeded fresh ones numbered from <see cref="StateFitOptions.FirstStart"/>, plus
    /// the warm start as start -1 when given; and the variance floor each dimension's M-step keeps.
    /// </summary>
    public static (IEnumerable<(int Restart, TModel Start)> Starts, double[] Floor) Plan<TModel>(ObservationBlock obs, StateFitOptions options,
        TModel? warmStart, Func<int, double[], TModel> fresh) where TModel : class, IStateModel
    {
        if (warmStart is not null && (warmStart.States != options.States || warmStart.Dimension != obs.Dimension))
            throw new ArgumentException("The warm start has a different number of states or dimensions.", nameof(warmStart));
        if (warmStart is null && options.Restarts == 0) throw new ArgumentException("No start: Restarts is 0 and no warm start was given.", nameof(options));
        var (_, variance) = DiagonalGaussian.Moments(obs);
        var floor = variance.Select(v => v * options.VarianceFloor).ToArray();
        var starts = Enumerable.Range(options.FirstStart, options.Restarts).Select(r => (r, fresh(r, variance)));
        return (warmStart is null ? starts : starts.Prepend((-1, warmStart)), floor);
    }

    public static StateModelFit Run<TModel>(IEnumerable<(int Restart, TModel Start)> starts, StateFitOptions options, Func<TModel, StateFitOptions, int, StateModelFit> em)
        where TModel : IStateModel
    {
        var all = starts.ToList();
        var probing = all.Count > 1 && options.ProbeIterations > 0 && options.ProbeIterations < options.MaxIterations;
        var probe = probing ? options with { MaxIterations = options.ProbeIterations } : options;
        StateModelFit? best = null;
        foreach (var (restart, start) in all)
        {
            var fit = em(start, probe, restart);
            if (best is null || fit.LogLikelihood > best.LogLikelihood) best = fit;
        }
        if (!probing || best!.Iterations < options.ProbeIterations) return best!; // converged within the probe
        var rest = em((TModel)best.Model, options with { MaxIterations = options.MaxIterations - best.Iterations }, best.Restart);
        // The continuation's first objective is the probe's last one, computed from the same parameters.
        return rest with
        {
            LogLikelihoodTrace = best.LogLikelihoodTrace.Concat(rest.LogLikelihoodTrace.Skip(1)).ToList(),
            Iterations = best.Iterations + rest.Iterations,
        };
    }
}

/// <summary>Observations as a row-major T x D block, checked once so the fitters can trust it.</summary>
public readonly struct ObservationBlock
{
    public ObservationBlock(double[] values, int count, int dimension)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (dimension < 1) throw new ArgumentException("The dimension must be at least 1.", nameof(dimension));
        if (count < 0 || (long)count * dimension > values.Length) throw new ArgumentException($"{count} observations of {dimension} values do not fit in {values.Length}.", nameof(count));
        for (var i = 0; i < count * dimension; i++)
            if (!double.IsFinite(values[i])) throw new ArgumentException($"Observation {i / dimension} has a non-finite value in dimension {i % dimension}.", nameof(values));
        Values = values;
        Count = count;
        Dimension = dimension;
    }

    public double[] Values { get; }
    public int Count { get; }
    public int Dimension { get; }

    public ReadOnlySpan<double> this[int t] => Values.AsSpan(t * Dimension, Dimension);

    public static ObservationBlock From(IReadOnlyList<double[]> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("No observations.", nameof(rows));
        var d = rows[0].Length;
        var values = new double[rows.Count * d];
        for (var t = 0; t < rows.Count; t++)
        {
            if (rows[t].Length != d) throw new ArgumentException($"Observation {t} has {rows[t].Length} values, expected {d}.", nameof(rows));
            rows[t].CopyTo(values, t * d);
        }
        return new ObservationBlock(values, rows.Count, d);
    }
}

/// <summary>Diagonal-Gaussian emission arithmetic the two models share.</summary>
internal static class DiagonalGaussian
{
    private static readonly double HalfLog2Pi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>log N(x; mean_k, diag(var_k)) for every state k, into <paramref name="logDensity"/>.</summary>
    public static void LogDensities(IStateModel model, ReadOnlySpan<double> x, Span<double> logDensity)
    {
        for (var k = 0; k < model.States; k++)
        {
            var sum = 0.0;
            for (var d = 0; d < x.Length; d++)
            {
                var v = model.Variance(k, d);
                var e = x[d] - model.Mean(k, d);
                sum -= 0.5 * (e * e / v + Math.Log(v)) + HalfLog2Pi;
            }
            logDensity[k] = sum;
        }
    }

    /// <summary>
    /// Emission densities of all T observations, each row scaled by its largest entry (returned in
    /// <paramref name="rowLogMax"/>) so that no row underflows; the log-likelihood adds the maxima back.
    /// </summary>
    public static void ScaledDensities(ObservationBlock obs, int states, double[] means, double[] variances, double[] b, double[] rowLogMax)
    {
        var dim = obs.Dimension;
        Span<double> logNorm = stackalloc double[states];
        Span<double> halfPrecision = stackalloc double[states * dim];
        for (var k = 0; k < states; k++)
        {
            var s = 0.0;
            for (var d = 0; d < dim; d++)
            {
                s += 0.5 * Math.Log(variances[k * dim + d]) + HalfLog2Pi;
                halfPrecision[k * dim + d] = 0.5 / variances[k * dim + d];
            }
            logNorm[k] = s;
        }
        var values = obs.Values;
        for (var t = 0; t < obs.Count; t++)
        {
            var max = double.NegativeInfinity;
            var row = b.AsSpan(t * states, states);
            var x = values.AsSpan(t * dim, dim);
            for (var k = 0; k < states; k++)
            {
                var sum = -logNorm[k];
                for (var d = 0; d < dim; d++)
                {
                    var e = x[d] - means[k * dim + d];
                    sum -= e * e * halfPrecision[k * dim + d];
                }
                row[k] = sum;
                if (sum > max) max = sum;
            }
            for (var k = 0; k < states; k++) row[k] = Math.Exp(row[k] - max);
            rowLogMax[t] = max;
        }
    }

    /// <summary>Per-dimension mean and variance of the whole sample: the scale for the variance floor and the starts.</summary>
    public static (double[] Mean, double[] Variance) Moments(ObservationBlock obs)
    {
        var dim = obs.Dimension;
        var mean = new double[dim];
        var variance = new double[dim];
        for (var t = 0; t < obs.Count; t++)
            for (var d = 0; d < dim; d++) mean[d] += obs.Values[t * dim + d] / obs.Count;
        for (var t = 0; t < obs.Count; t++)
            for (var d = 0; d < dim; d++)
            {
                var e = obs.Values[t * dim + d] - mean[d];
                variance[d] += e * e / obs.Count;
            }
        for (var d = 0; d < dim; d++) variance[d] = Math.Max(variance[d], 1e-12);
        return (mean, variance);
    }

    /// <summary>
    /// Starting means. Restart 0 spreads them over quantiles of the last dimension (the volatility reading in
    /// the regime detector, whose states differ most there); restart 1 does the same with one state fewer and
    /// puts the last state on the single most extreme observation, so that a rare tail state (a crash of a
    /// few days in years of data) gets a start of its own; later restarts draw distinct observations with a
    /// seeded generator.
    /// </summary>
    public static double[] StartMeans(ObservationBlock obs, int states, int restart, ulong seed)
    {
        var dim = obs.Dimension;
        var means = new double[states * dim];
        if (restart <= 1)
        {
            var order = Enumerable.Range(0, obs.Count).OrderBy(t => obs.Values[t * dim + dim - 1]).ToArray();
            var spread = restart == 1 && states > 1 ? states - 1 : states;
            for (var k = 0; k < spread; k++)
            {
                var t = order[(int)((k + 0.5) / spread * (obs.Count - 1))];
                obs[t].CopyTo(means.AsSpan(k * dim, dim));
            }
            if (spread < states) obs[order[^1]].CopyTo(means.AsSpan((states - 1) * dim, dim));
            return means;
        }
        var rng = new SplitMix(seed + (ulong)restart * 0x9E3779B97F4A7C15UL);
        for (var k = 0; k < states; k++)
        {
            var t = (int)(rng.Next() % (ulong)obs.Count);
            obs[t].CopyTo(means.AsSpan(k * dim, dim));
        }
        return means;
    }
}

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator for EM starts, the same on every platform.</summary>
internal struct SplitMix(ulong state)
{
    private ulong _state = state;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
