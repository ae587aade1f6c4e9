namespace AgentFirm.Quant.Regimes;

/// <summary>
/// Forward filtering one observation at a time: P(state_t | x_1..t) from P(state_{t-1} | x_1..t-1), the
/// model's prediction step and Bayes' rule with the emission density. O(K^2 + K D) per step and no
/// allocation: the model's constants are copied into flat arrays once. Never looks at a later observation,
/// so a probability it reports is as-of its bar.
/// </summary>
public sealed class StateFilter
{
    private readonly IStateModel _model;
    private readonly double[] _means;
    private readonly double[] _halfPrecision; // 1 / (2 var)
    private readonly double[] _logNorm;       // sum_d 0.5 log(2 pi var)
    private readonly double[] _posterior;
    private readonly double[] _prior;
    private readonly double[] _logDensity;
    private bool _started;

    public StateFilter(IStateModel model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        int k = model.States, dim = model.Dimension;
        _means = new double[k * dim];
        _halfPrecision = new double[k * dim];
        _logNorm = new double[k];
        for (var s = 0; s < k; s++)
            for (var d = 0; d < dim; d++)
            {
                var v = model.Variance(s, d);
                _means[s * dim + d] = model.Mean(s, d);
                _halfPrecision[s * dim + d] = 0.5 / v;
                _logNorm[s] += 0.5 * Math.Log(2 * Math.PI * v);
            }
        _posterior = new double[k];
        _prior = new double[k];
        _logDensity = new double[k];
    }

    public IStateModel Model => _model;

    /// <summary>The filtered state probabilities after the last <see cref="Step"/> (the initial distribution before any).</summary>
    public ReadOnlySpan<double> Probabilities => _started ? _posterior : _model.Initial;

    /// <summary>Observations filtered so far.</summary>
    public long Steps { get; private set; }

    /// <summary>log p(x_t | x_1..t-1) of the last step: how surprising the bar was under the model.</summary>
    public double LastLogPredictive { get; private set; }

    public void Step(ReadOnlySpan<double> x)
    {
        int k = _model.States, dim = _model.Dimension;
        if (x.Length != dim) throw new ArgumentException($"The observation has {x.Length} values, the model {dim}.", nameof(x));
        if (_started) _model.Predict(_posterior, _prior);
        else _model.Initial.CopyTo(_prior);

        var max = double.NegativeInfinity;
        for (var s = 0; s < k; s++)
        {
            var sum = -_logNorm[s];
            for (var d = 0; d < dim; d++)
            {
                var e = x[d] - _means[s * dim + d];
                sum -= e * e * _halfPrecision[s * dim + d];
            }
            _logDensity[s] = sum;
            if (_prior[s] > 0 && sum > max) max = sum;
        }
        var total = 0.0;
        for (var s = 0; s < k; s++)
        {
            var p = _prior[s] > 0 ? _prior[s] * Math.Exp(_logDensity[s] - max) : 0;
            _posterior[s] = p;
            total += p;
        }
        if (!(total > 0) || double.IsInfinity(max))
        {
            // No state can explain the bar (or an impossible prior): fall back to the prior rather than NaN.
            _prior.CopyTo(_posterior, 0);
            total = 1;
            max = 0;
        }
        for (var s = 0; s < k; s++) _posterior[s] /= total;
        LastLogPredictive = Math.Log(total) + max;
        _started = true;
        Steps++;
    }
}
