namespace AgentFirm.Quant.Firm;

/// <summary>
/// P(up) = σ(a·sign(x) + b·x) for one signed input x, fitted by penalised maximum likelihood (Newton's
/// method) on the most recent resolved calls only. Two terms because an analyst's strength is rarely
/// linear in its hit rate: a saturating score whose sign carries most of the information gets a large a,
/// a graded one a large b. Gaussian priors N(prior, 1/λ) keep both near their prior while evidence is thin;
/// <see cref="LogOdds"/> soft-thresholds the fitted log-odds at x by <c>z</c> of its standard errors (delta
/// method on the coefficients' covariance, so collinear terms are not each thrown away), and an input
/// whose link to the outcome cannot be told from noise moves nothing.
/// </summary>
public sealed class OnlineLogistic
{
    private readonly double[] _x;
    private readonly bool[] _up;
    private readonly double _ridge;
    private readonly int _refitEvery;
    private readonly (double Sign, double Linear) _prior;
    private int _next, _count, _sinceFit;

    public OnlineLogistic(int window, double ridge, (double Sign, double Linear) prior = default, int refitEvery = 1)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), "The window needs at least 2 calls.");
        if (!(ridge > 0)) throw new ArgumentOutOfRangeException(nameof(ridge), "The ridge must be positive.");
        if (refitEvery < 1) throw new ArgumentOutOfRangeException(nameof(refitEvery));
        _x = new double[window];
        _up = new bool[window];
        _ridge = ridge;
        _refitEvery = refitEvery;
        _prior = prior;
        Coefficients = prior;
        StandardErrors = (1 / Math.Sqrt(ridge), 1 / Math.Sqrt(ridge));
    }

    /// <summary>The fitted (sign, linear) coefficients and their standard errors (from the penalised Hessian).</summary>
    public (double Sign, double Linear) Coefficients { get; private set; }
    public (double Sign, double Linear) StandardErrors { get; private set; }
    private double _covariance;

    /// <summary>Resolved calls in the window.</summary>
    public int Count => _count;

    /// <summary>Log-odds of up for input <paramref name="x"/>, shrunk toward the prior's by <paramref name="z"/> of its standard errors.</summary>
    public double LogOdds(double x, double z)
    {
        var s = Math.Sign(x);
        var prior = _prior.Sign * s + _prior.Linear * x;
        var excess = Coefficients.Sign * s + Coefficients.Linear * x - prior;
        var (ea, eb) = StandardErrors;
        var variance = ea * ea * s * s + eb * eb * x * x + 2 * s * x * _covariance;
        var se = Math.Sqrt(Math.Max(0, variance));
        return prior + Math.Sign(excess) * Math.Max(0, Math.Abs(excess) - z * se);
    }

    /// <summary>Adds one resolved call: the input when it was made and whether the price went up.</summary>
    public void Add(double x, bool up)
    {
        if (!double.IsFinite(x)) return;
        _x[_next] = x;
        _up[_next] = up;
        _next = (_next + 1) % _x.Length;
        if (_count < _x.Length) _count++;
        if (++_sinceFit >= _refitEvery) Fit();
    }

    /// <summary>Newton steps from the current coefficients: the penalised log-likelihood is concave, so this converges in a few.</summary>
    private void Fit()
    {
        _sinceFit = 0;
        var (a, b) = Coefficients;
        double haa = _ridge, hab = 0, hbb = _ridge;
        for (var iteration = 0; iteration < 10; iteration++)
        {
            var ga = -_ridge * (a - _prior.Sign);
            var gb = -_ridge * (b - _prior.Linear);
            haa = _ridge; hab = 0; hbb = _ridge;
            for (var i = 0; i < _count; i++)
            {
                var x = _x[i];
                var s = Math.Sign(x);
                var p = Sigmoid(a * s + b * x);
                var residual = (_up[i] ? 1 : 0) - p;
                ga += residual * s;
                gb += residual * x;
                var curvature = p * (1 - p);
                haa += curvature * s * s;
                hab += curvature * s * x;
                hbb += curvature * x * x;
            }
            var det = haa * hbb - hab * hab;
            var da = (hbb * ga - hab * gb) / det;
            var db = (haa * gb - hab * ga) / det;
            a += da;
            b += db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-9) break;
        }
        Coefficients = (a, b);
        // The inverse of the penalised Hessian is the (Laplace) posterior covariance; its diagonal gives the errors.
        var determinant = haa * hbb - hab * hab;
        StandardErrors = (Math.Sqrt(hbb / determinant), Math.Sqrt(haa / determinant));
        _covariance = -hab / determinant;
    }

    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));
}
