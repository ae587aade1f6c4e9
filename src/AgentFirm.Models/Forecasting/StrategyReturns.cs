namespace AgentFirm.Models.Forecasting;

/// <summary>
/// The per-bar returns of trading the sign of a forecast: long when P(up) &gt; 0.5 (or the forecast return &gt; 0),
/// short otherwise (or flat when <c>longOnly</c>), the position taken at bar t's close earning the next bar's log
/// return, minus <c>costBps</c> for each unit of position turned over (a long-to-short flip costs twice).
/// </summary>
public static class StrategyReturns
{
    public static double Position(Forecast forecast, ForecastTask task, bool longOnly = false)
    {
        var up = task == ForecastTask.Classification ? forecast.Value > 0.5 : forecast.Value > 0;
        return up ? 1 : longOnly ? 0 : -1;
    }

    /// <summary>Returns for consecutive decision rows; <paramref name="positions"/>[k] is held over nextReturns[k].</summary>
    public static double[] FromPositions(IReadOnlyList<double> positions, IReadOnlyList<double> nextReturns, double costBps, double startingPosition = 0)
    {
        if (positions.Count != nextReturns.Count) throw new ArgumentException("positions and returns differ in length");
        var cost = costBps / 10_000;
        var result = new double[positions.Count];
        var previous = startingPosition;
        for (var k = 0; k < positions.Count; k++)
        {
            result[k] = positions[k] * nextReturns[k] - cost * Math.Abs(positions[k] - previous);
            previous = positions[k];
        }
        return result;
    }

    /// <summary>Per-period Sharpe ratio (mean / sample sd); 0 for fewer than 2 returns or no variation.</summary>
    public static double Sharpe(IReadOnlyList<double> returns)
    {
        if (returns.Count < 2) return 0;
        var mean = returns.Average();
        var sd = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Count - 1));
        return sd > 0 ? mean / sd : 0;
    }
}
