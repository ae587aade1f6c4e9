namespace AgentFirm.Causal;

/// <summary>Significance of a Pearson correlation by Fisher's z transform.</summary>
internal static class FisherZ
{
    /// <summary>
    /// Two-sided p-value of H0: rho = 0 for a sample correlation r over n pairs: z = atanh(r) sqrt(n - 3) is about
    /// standard normal under H0, p = erfc(|z| / sqrt 2).
    /// </summary>
    public static double PValue(double r, int n)
    {
        if (n <= 3 || double.IsNaN(r)) return 1;
        if (Math.Abs(r) >= 1) return 0;
        var z = Math.Atanh(r) * Math.Sqrt(n - 3);
        return Erfc(Math.Abs(z) / Math.Sqrt(2));
    }

    /// <summary>
    /// Complementary error function by the Chebyshev-fitted exponential of Press et al., Numerical Recipes in C
    /// (2nd ed., section 6.2, erfcc): fractional error below 1.2e-7 everywhere, which is ample for p-values.
    /// </summary>
    public static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
                   t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        var ans = t * Math.Exp(poly);
        return x >= 0 ? ans : 2 - ans;
    }
}
