namespace AgentFirm.Quant.Validation;

/// <summary>
/// The standard normal distribution, written out so the statistics need no numerics package.
/// Cdf: Phi(x) = erfc(-x/sqrt 2)/2, with erfc from its everywhere-convergent positive series for small
/// arguments and its Laplace continued fraction (modified Lentz) in the tails; both give about 15 digits.
/// InverseCdf: Acklam's rational approximation (relative error about 1e-9) polished by two Halley steps
/// on the accurate Cdf, so quantiles are good to about 1e-15.
/// </summary>
public static class StandardNormal
{
    private const double Sqrt2 = 1.4142135623730950488;
    private const double InvSqrtPi = 0.56418958354775628695;
    private const double InvSqrt2Pi = 0.39894228040143267794;

    public static double Pdf(double x) => InvSqrt2Pi * Math.Exp(-0.5 * x * x);

    public static double Cdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x == double.PositiveInfinity) return 1.0;
        if (x == double.NegativeInfinity) return 0.0;
        var z = -x / Sqrt2;
        return 0.5 * Erfc(z);
    }

    /// <summary>Complementary error function for any real z.</summary>
    public static double Erfc(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        if (z < 0) return 2.0 - Erfc(-z);
        if (z < 2.5) return 1.0 - ErfSeries(z);
        return ErfcContinuedFraction(z);
    }

    // erf z = (2/sqrt pi) e^{-z^2} sum_{n>=0} 2^n z^{2n+1} / (1*3*...*(2n+1)) (Abramowitz & Stegun 7.1.6):
    // every term positive, so no cancellation.
    private static double ErfSeries(double z)
    {
        var term = z;
        var sum = z;
        for (var n = 1; n < 200; n++)
        {
            term *= 2.0 * z * z / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return 2.0 * InvSqrtPi * Math.Exp(-z * z) * sum;
    }

    // erfc z = e^{-z^2}/sqrt(pi) * 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))) (A&S 7.1.14),
    // evaluated with the modified Lentz algorithm.
    private static double ErfcContinuedFraction(double z)
    {
        const double tiny = 1e-300;
        var f = z;
        var c = z;
        var d = 0.0;
        for (var n = 1; n < 500; n++)
        {
            var a = n / 2.0;
            d = z + a * d;
            if (Math.Abs(d) < tiny) d = tiny;
            c = z + a / c;
            if (Math.Abs(c) < tiny) c = tiny;
            d = 1.0 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16) break;
        }
        return InvSqrtPi * Math.Exp(-z * z) / f;
    }

    /// <summary>The quantile function Phi^{-1}(p) for p in (0, 1); 0 and 1 give -inf and +inf.</summary>
    public static double InverseCdf(double p)
    {
        if (double.IsNaN(p) || p < 0 || p > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability must lie in [0, 1]");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        var x = Acklam(p);
        for (var i = 0; i < 2; i++)
        {
            // Halley's method on f(x) = Phi(x) - p, using the tail that keeps precision.
            var e = p < 0.5 ? Cdf(x) - p : (1.0 - p) - 0.5 * Erfc(x / Sqrt2);
            var u = e / Pdf(x);
            x -= u / (1.0 + 0.5 * x * u);
        }
        return x;
    }

    private static double Acklam(double p)
    {
        // P. J. Acklam (2003), "An algorithm for computing the inverse normal cumulative distribution function".
        const double a1 = -3.969683028665376e+01, a2 = 2.209460984245205e+02, a3 = -2.759285104469687e+02,
            a4 = 1.383577518672690e+02, a5 = -3.066479806614716e+01, a6 = 2.506628277459239e+00;
        const double b1 = -5.447609879822406e+01, b2 = 1.615858368580409e+02, b3 = -1.556989798598866e+02,
            b4 = 6.680131188771972e+01, b5 = -1.328068155288572e+01;
        const double c1 = -7.784894002430293e-03, c2 = -3.223964580411365e-01, c3 = -2.400758277161838e+00,
            c4 = -2.549732539343734e+00, c5 = 4.374664141464968e+00, c6 = 2.938163982698783e+00;
        const double d1 = 7.784695709041462e-03, d2 = 3.224671290700398e-01, d3 = 2.445134137142996e+00,
            d4 = 3.754408661907416e+00;
        const double low = 0.02425, high = 1 - low;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        if (p > high)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) / ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a1 * s + a2) * s + a3) * s + a4) * s + a5) * s + a6) * r / (((((b1 * s + b2) * s + b3) * s + b4) * s + b5) * s + 1);
    }
}
