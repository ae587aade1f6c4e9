namespace AgentFirm.Quant.Validation;

/// <summary>
/// Deflated Sharpe ratio: Bailey &amp; Lopez de Prado, "The Deflated Sharpe Ratio: Correcting for Selection Bias,
/// Backtest Overfitting and Non-Normality", Journal of Portfolio Management 40(5), 2014. DSR is the PSR of the
/// selected strategy against SR0, the Sharpe ratio the best of N unskilled trials is expected to reach.
/// Sharpe ratios and their variance across trials are per period (not annualised).
/// </summary>
public static class DeflatedSharpe
{
    /// <summary>The Euler-Mascheroni constant gamma.</summary>
    public const double EulerMascheroni = 0.57721566490153286061;

    /// <summary>
    /// SR0 = sqrt(V[SR_n]) ((1 - gamma) Phi^{-1}(1 - 1/N) + gamma Phi^{-1}(1 - 1/(N e))): the expected maximum of N
    /// independent trials' Sharpe ratios whose true value is zero (the paper's equation for SR0, from the
    /// extreme-value approximation of the expected maximum of N standard normals). One trial means no
    /// selection, so SR0 = 0.
    /// </summary>
    public static double ExpectedMaximumSharpe(int trials, double trialsSharpeVariance)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "the number of trials must be at least 1");
        if (!(trialsSharpeVariance >= 0) || !double.IsFinite(trialsSharpeVariance))
            throw new ArgumentOutOfRangeException(nameof(trialsSharpeVariance), trialsSharpeVariance, "the variance of the trials' Sharpe ratios must be finite and not negative");
        if (trials == 1) return 0;
        return Math.Sqrt(trialsSharpeVariance) * ExpectedMaximumStandardNormal(trials);
    }

    /// <summary>(1 - gamma) Phi^{-1}(1 - 1/N) + gamma Phi^{-1}(1 - 1/(N e)), about E[max of N iid N(0,1)].</summary>
    public static double ExpectedMaximumStandardNormal(int trials)
    {
        if (trials < 2) throw new ArgumentOutOfRangeException(nameof(trials), trials, "the approximation needs at least 2 trials");
        return (1 - EulerMascheroni) * StandardNormal.InverseCdf(1 - 1.0 / trials)
               + EulerMascheroni * StandardNormal.InverseCdf(1 - 1.0 / (trials * Math.E));
    }

    /// <summary>DSR = PSR(SR0) of the selected strategy (the paper's DSR equation).</summary>
    public static double Probability(double sharpe, int periods, double skew, double kurtosis, int trials, double trialsSharpeVariance)
    {
        var sr0 = ExpectedMaximumSharpe(trials, trialsSharpeVariance);
        return ProbabilisticSharpe.Probability(sharpe, periods, skew, kurtosis, sr0);
    }

    /// <summary>The variance of the trials' Sharpe ratios (sample variance, n - 1), the V[SR_n] the paper asks for.</summary>
    public static double TrialsSharpeVariance(IReadOnlyList<double> trialSharpes)
    {
        ArgumentNullException.ThrowIfNull(trialSharpes);
        if (trialSharpes.Count < 2) throw new ArgumentException("at least two trials are needed for a variance", nameof(trialSharpes));
        var mean = trialSharpes.Average();
        return trialSharpes.Sum(s => (s - mean) * (s - mean)) / (trialSharpes.Count - 1);
    }
}
