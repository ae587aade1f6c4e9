namespace AgentFirm.Quant.Labels;

/// <summary>Which barrier resolved a triple-barrier label.</summary>
public enum BarrierTouched { Upper, Lower, Vertical }

/// <summary>
/// One triple-barrier label for the bar with index <see cref="Start"/>: resolved at bar <see cref="End"/> (the
/// label window's end, AFML t_{i,1}) by <see cref="Barrier"/>, with the log return from Start's close to End's
/// close. <see cref="Side"/> is +1 (upper), -1 (lower) or the sign of the return when the vertical barrier came
/// first (0 when exactly flat).
/// </summary>
public readonly record struct TripleBarrierLabel(int Start, int End, BarrierTouched Barrier, double Return, double Width)
{
    public int Side => Barrier switch
    {
        BarrierTouched.Upper => 1,
        BarrierTouched.Lower => -1,
        _ => Math.Sign(Return),
    };
}

/// <summary>
/// Triple-barrier labelling (Lopez de Prado, Advances in Financial Machine Learning, 2018, section 3.4) with
/// volatility-scaled horizontal barriers. At bar t the barrier half-width, in log-return terms, is
/// k * sigma_t * sqrt(h), sigma_t the sample standard deviation of the last <c>volWindow</c> one-bar log returns up
/// to and including bar t (past only: known at t's close). The sqrt(h) scales one-bar volatility to the label
/// horizon so k reads as "standard deviations over the horizon" whatever h is. The vertical barrier is h bars
/// ahead. Barriers are checked on closes (AFML's close path), first touch wins; a bar touching at the vertical
/// barrier and a horizontal one at once counts as the horizontal one.
/// </summary>
public static class TripleBarrierLabels
{
    /// <summary>
    /// One entry per bar: null where the label cannot be known yet (fewer than volWindow past returns, or fewer
    /// than h bars left) so nothing unresolved is ever trained on.
    /// </summary>
    public static TripleBarrierLabel?[] Compute(IReadOnlyList<double> closes, int horizon, double multiplier, int volWindow = 20)
    {
        ArgumentNullException.ThrowIfNull(closes);
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "the vertical barrier must be at least one bar ahead");
        if (!(multiplier > 0)) throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "the barrier multiplier must be positive");
        if (volWindow < 2) throw new ArgumentOutOfRangeException(nameof(volWindow), volWindow, "the volatility window needs at least 2 returns");
        var n = closes.Count;
        var labels = new TripleBarrierLabel?[n];
        var sigma = PastVolatility(closes, volWindow);
        for (var t = 0; t + horizon < n; t++)
        {
            if (double.IsNaN(sigma[t]) || sigma[t] <= 0) continue;
            var width = multiplier * sigma[t] * Math.Sqrt(horizon);
            var entry = closes[t];
            var end = t + horizon;
            var barrier = BarrierTouched.Vertical;
            for (var j = t + 1; j <= t + horizon; j++)
            {
                var r = Math.Log(closes[j] / entry);
                if (r >= width) { end = j; barrier = BarrierTouched.Upper; break; }
                if (r <= -width) { end = j; barrier = BarrierTouched.Lower; break; }
            }
            labels[t] = new TripleBarrierLabel(t, end, barrier, Math.Log(closes[end] / entry), width);
        }
        return labels;
    }

    /// <summary>sigma_t over log returns r_{t-w+1..t} (r_j = ln(c_j / c_{j-1})), sample sd; NaN until w returns exist.</summary>
    public static double[] PastVolatility(IReadOnlyList<double> closes, int window)
    {
        var n = closes.Count;
        var sigma = new double[n];
        Array.Fill(sigma, double.NaN);
        for (var t = window; t < n; t++)
        {
            double sum = 0, sumSq = 0;
            for (var j = t - window + 1; j <= t; j++)
            {
                var r = Math.Log(closes[j] / closes[j - 1]);
                sum += r;
                sumSq += r * r;
            }
            var mean = sum / window;
            sigma[t] = Math.Sqrt(Math.Max(0, (sumSq - window * mean * mean) / (window - 1)));
        }
        return sigma;
    }
}
