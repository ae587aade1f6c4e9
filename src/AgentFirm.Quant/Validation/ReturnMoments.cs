namespace AgentFirm.Quant.Validation;

/// <summary>
/// The moments of a return series that the Sharpe statistics need, per period (not annualised):
/// Sharpe = mean / sample standard deviation (n - 1), skewness = m3 / m2^1.5 and kurtosis = m4 / m2^2 from
/// the central moments m_k (the plain, non-excess kurtosis: 3 for a normal), as in Bailey &amp; Lopez de Prado (2012).
/// </summary>
public readonly record struct ReturnMoments(int Count, double Mean, double StandardDeviation, double Sharpe, double Skewness, double Kurtosis)
{
    /// <summary>The fewest observations for which skewness and kurtosis mean anything.</summary>
    public const int MinimumCount = 3;

    public static ReturnMoments From(IReadOnlyList<double> returns)
    {
        ArgumentNullException.ThrowIfNull(returns);
        var n = returns.Count;
        if (n < MinimumCount) throw new ArgumentException($"too few observations: {n} returns, at least {MinimumCount} are needed", nameof(returns));
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(returns[i])) throw new ArgumentException($"return {i} is not a finite number", nameof(returns));
            mean += returns[i];
        }
        mean /= n;
        double m2 = 0, m3 = 0, m4 = 0;
        for (var i = 0; i < n; i++)
        {
            var d = returns[i] - mean;
            var d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        if (m2 <= 0) throw new ArgumentException("the returns are constant: the Sharpe ratio is undefined", nameof(returns));
        var std = Math.Sqrt(m2 / (n - 1));
        m2 /= n;
        m3 /= n;
        m4 /= n;
        return new ReturnMoments(n, mean, std, mean / std, m3 / Math.Pow(m2, 1.5), m4 / (m2 * m2));
    }
}
