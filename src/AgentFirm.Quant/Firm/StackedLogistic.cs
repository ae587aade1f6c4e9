namespace AgentFirm.Quant.Firm;

/// <summary>
/// P(up) = σ(Σ β_j x_j): a logistic stacking model over several agents' signed views, fitted walk-forward by
/// penalised maximum likelihood (Newton's method, prior N(0, 1/λ) on every β) on the most recent resolved
/// calls only. Fitting the agents jointly gives each the weight its evidence adds beside the others': two
/// agents reading independent signals both count, an agent echoing another one adds little, and one with
/// no link gets none. <see cref="LogOdds"/> soft-thresholds each β by z of its standard error (from the
/// penalised Hessian), so an agent whose link cannot be told from noise moves nothing.
/// Inputs are indexed 0..<see cref="MaxInputs"/>-1; an input never seen counts as 0.
/// </summary>
public sealed class StackedLogistic
{
    public const int MaxInputs = 8;

    private readonly double[] _x; // window x MaxInputs, row-major
    private readonly bool[] _up;
    private readonly double _ridge;
    private readonly int _refitEvery;
    private readonly double[] _beta = new double[MaxInputs];
    private readonly double[] _error = new double[MaxInputs];
    // Newton workspace, reused: gradient, Hessian and its Cholesky factor.
    private readonly double[] _gradient = new double[MaxInputs];
    private readonly double[] _hessian = new double[MaxInputs * MaxInputs];
    private readonly double[] _step = new double[MaxInputs];
    private int _next, _count, _sinceFit, _inputs;

    public StackedLogistic(int window, double ridge, int refitEvery = 1)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), "The window needs at least 2 calls.");
        if (!(ridge > 0)) throw new ArgumentOutOfRangeException(nameof(ridge), "The ridge must be positive.");
        if (refitEvery < 1) throw new ArgumentOutOfRangeException(nameof(refitEvery));
        _x = new double[window * MaxInputs];
        _up = new bool[window];
        _ridge = ridge;
        _refitEvery = refitEvery;
        Array.Fill(_error, 1 / Math.Sqrt(ridge));
    }

    /// <summary>Resolved calls in the window.</summary>
    public int Count => _count;

    /// <summary>The fitted coefficient of input <paramref name="index"/> (0 before any evidence).</summary>
    public double Coefficient(int index) => _beta[index];

    /// <summary>The standard error of that coefficient (the prior's until fitted).</summary>
    public double StandardError(int index) => _error[index];

    /// <summary>The coefficient of input <paramref name="index"/> soft-thresholded by <paramref name="z"/> standard errors.</summary>
    public double Shrunk(int index, double z)
    {
        var b = _beta[index];
        return Math.Sign(b) * Math.Max(0, Math.Abs(b) - z * _error[index]);
    }

    /// <summary>Adds one resolved call: the inputs when it was made and whether the price went up.</summary>
    public void Add(ReadOnlySpan<double> inputs, bool up)
    {
        if (inputs.Length > MaxInputs) throw new ArgumentException($"At most {MaxInputs} inputs, got {inputs.Length}.", nameof(inputs));
        foreach (var v in inputs)
            if (!double.IsFinite(v)) return;
        var row = _x.AsSpan(_next * MaxInputs, MaxInputs);
        row.Clear();
        inputs.CopyTo(row);
        _up[_next] = up;
        _inputs = Math.Max(_inputs, inputs.Length);
        _next = (_next + 1) % _up.Length;
        if (_count < _up.Length) _count++;
        if (++_sinceFit >= _refitEvery) Fit();
    }

    private void Fit()
    {
        _sinceFit = 0;
        var k = _inputs;
        if (k == 0) return;
        for (var iteration = 0; iteration < 10; iteration++)
        {
            Accumulate(k);
            Cholesky(k);
            Solve(k, _gradient, _step);
            var moved = 0.0;
            for (var j = 0; j < k; j++)
            {
                _beta[j] += _step[j];
                moved += Math.Abs(_step[j]);
            }
            if (moved < 1e-9) break;
        }
        // The inverse of the penalised Hessian is the (Laplace) posterior covariance; its diagonal gives the errors.
        Accumulate(k);
        Cholesky(k);
        for (var j = 0; j < k; j++)
        {
            Array.Clear(_gradient);
            _gradient[j] = 1;
            Solve(k, _gradient, _step);
            _error[j] = Math.Sqrt(_step[j]);
        }
    }

    /// <summary>Gradient and Hessian of the penalised log-likelihood at the current coefficients (Hessian as a positive definite matrix).</summary>
    private void Accumulate(int k)
    {
        Array.Clear(_gradient);
        Array.Clear(_hessian);
        for (var j = 0; j < k; j++)
        {
            _gradient[j] = -_ridge * _beta[j];
            _hessian[j * MaxInputs + j] = _ridge;
        }
        for (var i = 0; i < _count; i++)
        {
            var row = _x.AsSpan(i * MaxInputs, k);
            var eta = 0.0;
            for (var j = 0; j < k; j++) eta += _beta[j] * row[j];
            var p = OnlineLogistic.Sigmoid(eta);
            var residual = (_up[i] ? 1 : 0) - p;
            var curvature = p * (1 - p);
            for (var j = 0; j < k; j++)
            {
                var xj = row[j];
                if (xj == 0) continue;
                _gradient[j] += residual * xj;
                for (var m = 0; m <= j; m++) _hessian[j * MaxInputs + m] += curvature * xj * row[m];
            }
        }
    }

    /// <summary>In-place Cholesky factor L (lower triangle) of the Hessian; the ridge keeps it positive definite.</summary>
    private void Cholesky(int k)
    {
        for (var j = 0; j < k; j++)
        {
            var d = _hessian[j * MaxInputs + j];
            for (var m = 0; m < j; m++) d -= _hessian[j * MaxInputs + m] * _hessian[j * MaxInputs + m];
            d = Math.Sqrt(d);
            _hessian[j * MaxInputs + j] = d;
            for (var i = j + 1; i < k; i++)
            {
                var s = _hessian[i * MaxInputs + j];
                for (var m = 0; m < j; m++) s -= _hessian[i * MaxInputs + m] * _hessian[j * MaxInputs + m];
                _hessian[i * MaxInputs + j] = s / d;
            }
        }
    }

    /// <summary>Solves L Lᵀ y = b with the factor from <see cref="Cholesky"/>.</summary>
    private void Solve(int k, double[] b, double[] y)
    {
        for (var i = 0; i < k; i++)
        {
            var s = b[i];
            for (var m = 0; m < i; m++) s -= _hessian[i * MaxInputs + m] * y[m];
            y[i] = s / _hessian[i * MaxInputs + i];
        }
        for (var i = k - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var m = i + 1; m < k; m++) s -= _hessian[m * MaxInputs + i] * y[m];
            y[i] = s / _hessian[i * MaxInputs + i];
        }
    }
}
