namespace AgentFirm.Quant.Validation;

/// <summary>
/// Probabilistic Sharpe ratio and minimum track record length: Bailey &amp; Lopez de Prado,
/// "The Sharpe Ratio Efficient Frontier", Journal of Risk 15(2), 2012. Every Sharpe ratio is per period
/// (not annualised), <c>skew</c> is gamma_3 and <c>kurtosis</c> the plain (non-excess) gamma_4.
/// </summary>
public static class ProbabilisticSharpe
{
    /// <summary>
    /// Standard deviation of the estimated Sharpe ratio under non-normal iid returns (Mertens 2002, as used in
    /// the paper): sigma(SR^) = sqrt((1 - gamma_3 SR^ + (gamma_4 - 1)/4 SR^2) / (n - 1)).
    /// </summary>
    public static double StandardError(double sharpe, int periods, double skew, double kurtosis)
    {
        if (periods < 2) throw new ArgumentOutOfRangeException(nameof(periods), periods, "too few observations: at least 2 periods are needed");
        return Math.Sqrt(Dispersion(sharpe, skew, kurtosis) / (periods - 1));
    }

    /// <summary>
    /// PSR(SR*) = Phi((SR^ - SR*) sqrt(n - 1) / sqrt(1 - gamma_3 SR^ + (gamma_4 - 1)/4 SR^2)): the probability
    /// that the true Sharpe ratio exceeds the benchmark SR* (the paper's PSR equation).
    /// </summary>
    public static double Probability(double sharpe, int periods, double skew, double kurtosis, double benchmarkSharpe = 0)
    {
        if (!double.IsFinite(benchmarkSharpe)) throw new ArgumentOutOfRangeException(nameof(benchmarkSharpe), benchmarkSharpe, "the benchmark Sharpe ratio must be finite");
        var sigma = StandardError(sharpe, periods, skew, kurtosis);
        return StandardNormal.Cdf((sharpe - benchmarkSharpe) / sigma);
    }

    /// <summary>
    /// MinTRL = 1 + (1 - gamma_3 SR^ + (gamma_4 - 1)/4 SR^2) (Z_alpha / (SR^ - SR*))^2 with Z_alpha = Phi^{-1}(1 - alpha):
    /// the number of periods after which PSR(SR*) reaches 1 - alpha. Null when SR^ does not beat SR* (no track
    /// record is long enough).
    /// </summary>
    public static double? MinimumTrackRecordLength(double sharpe, double skew, double kurtosis, double benchmarkSharpe = 0, double alpha = 0.05)
    {
        if (!(alpha > 0 && alpha < 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie strictly between 0 and 1");
        if (!double.IsFinite(benchmarkSharpe)) throw new ArgumentOutOfRangeException(nameof(benchmarkSharpe), benchmarkSharpe, "the benchmark Sharpe ratio must be finite");
        var dispersion = Dispersion(sharpe, skew, kurtosis);
        if (sharpe <= benchmarkSharpe) return null;
        var z = StandardNormal.InverseCdf(1 - alpha) / (sharpe - benchmarkSharpe);
        return 1 + dispersion * z * z;
    }

    /// <summary>1 - gamma_3 SR + (gamma_4 - 1)/4 SR^2, the non-normality factor of the Sharpe ratio's variance.</summary>
    internal static double Dispersion(double sharpe, double skew, double kurtosis)
    {
        if (!double.IsFinite(sharpe)) throw new ArgumentOutOfRangeException(nameof(sharpe), sharpe, "the Sharpe ratio must be finite");
        if (!double.IsFinite(skew)) throw new ArgumentOutOfRangeException(nameof(skew), skew, "the skewness must be finite");
        if (!(kurtosis >= 1)) throw new ArgumentOutOfRangeException(nameof(kurtosis), kurtosis, "the (non-excess) kurtosis is at least 1 for any distribution; pass gamma_4, not the excess kurtosis");
        var value = 1 - skew * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe;
        if (!(value > 0)) throw new ArgumentException($"1 - skew*SR + (kurtosis-1)/4*SR^2 = {value} is not positive: the moments are inconsistent with this Sharpe ratio");
        return value;
    }
}
