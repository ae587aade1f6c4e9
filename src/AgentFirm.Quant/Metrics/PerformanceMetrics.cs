using System.Text.Json.Serialization;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Metrics;

/// <summary>
/// The headline figures of a run, with the conventions stated so they can be checked by hand:
/// returns are simple per-period returns of equity; risk-free rate 0; a year has 365 days (crypto
/// trades every day), so 1h bars annualise with 8760 periods and 1d bars with 365; volatility uses the
/// sample standard deviation; Sortino's downside deviation is sqrt(mean(min(r, 0)^2)) over all periods
/// (Sortino &amp; Price, 1994); max drawdown is a positive fraction of the running peak; Calmar = CAGR / max
/// drawdown; turnover is traded notional over mean equity, per year.
/// </summary>
public sealed record PerformanceMetrics
{
    [JsonPropertyName("initial_equity")] public double InitialEquity { get; init; }
    [JsonPropertyName("final_equity")] public double FinalEquity { get; init; }
    [JsonPropertyName("total_return")] public double TotalReturn { get; init; }
    [JsonPropertyName("cagr")] public double Cagr { get; init; }
    [JsonPropertyName("volatility")] public double Volatility { get; init; }
    [JsonPropertyName("sharpe")] public double Sharpe { get; init; }
    [JsonPropertyName("sortino")] public double Sortino { get; init; }
    [JsonPropertyName("max_drawdown")] public double MaxDrawdown { get; init; }
    [JsonPropertyName("max_drawdown_duration_days")] public double MaxDrawdownDurationDays { get; init; }
    [JsonPropertyName("calmar")] public double Calmar { get; init; }
    [JsonPropertyName("hit_rate")] public double? HitRate { get; init; }
    [JsonPropertyName("round_trips")] public int RoundTrips { get; init; }
    [JsonPropertyName("fills")] public int Fills { get; init; }
    [JsonPropertyName("traded_notional")] public double TradedNotional { get; init; }
    [JsonPropertyName("turnover")] public double Turnover { get; init; }
    [JsonPropertyName("fees_paid")] public double FeesPaid { get; init; }
    [JsonPropertyName("slippage_paid")] public double SlippagePaid { get; init; }
    [JsonPropertyName("funding_paid")] public double FundingPaid { get; init; }
    [JsonPropertyName("exposure")] public double Exposure { get; init; }
    [JsonPropertyName("time_in_market")] public double TimeInMarket { get; init; }
    [JsonPropertyName("periods")] public int Periods { get; init; }
    [JsonPropertyName("periods_per_year")] public double PeriodsPerYear { get; init; }
    [JsonPropertyName("years")] public double Years { get; init; }
    [JsonPropertyName("start")] public DateTimeOffset? Start { get; init; }
    [JsonPropertyName("end")] public DateTimeOffset? End { get; init; }

    public static PerformanceMetrics From(BacktestResult result)
    {
        var curve = result.Curve;
        var equity = curve.Equity;
        var ppy = result.Timeframe.PeriodsPerYear;
        var initial = result.Options.InitialCash;
        var final = result.FinalEquity;
        var returns = PeriodReturns(equity);
        var years = curve.Count > 1 ? (curve.Times[^1] - curve.Times[0]).TotalDays / 365.0 : 0;
        var (mdd, mddDays) = DrawdownStats(curve.Times, equity);
        var volatility = SampleStdDev(returns) * Math.Sqrt(ppy);
        var mean = returns.Length > 0 ? returns.Average() : 0;
        var downside = returns.Length > 0 ? Math.Sqrt(returns.Select(r => Math.Min(r, 0) * Math.Min(r, 0)).Average()) : 0;
        var cagr = years > 0 && final > 0 ? Math.Pow(final / initial, 1 / years) - 1 : final <= 0 ? -1 : 0;
        var closed = result.RoundTrips.Where(t => t.IsClosed).ToList();
        var traded = result.Fills.Sum(f => f.Notional);
        var meanEquity = equity.Count > 0 ? equity.Average() : initial;
        var exposure = equity.Count > 0 ? Enumerable.Range(0, equity.Count).Average(i => equity[i] > 0 ? curve.GrossExposure[i] / equity[i] : 0) : 0;
        return new PerformanceMetrics
        {
            InitialEquity = initial,
            FinalEquity = final,
            TotalReturn = final / initial - 1,
            Cagr = cagr,
            Volatility = volatility,
            Sharpe = volatility > 0 ? mean * ppy / volatility : 0,
            Sortino = downside > 0 ? mean / downside * Math.Sqrt(ppy) : 0,
            MaxDrawdown = mdd,
            MaxDrawdownDurationDays = mddDays,
            Calmar = mdd > 0 ? cagr / mdd : 0,
            HitRate = closed.Count > 0 ? closed.Count(t => t.NetPnl > 0) / (double)closed.Count : null,
            RoundTrips = closed.Count,
            Fills = result.Fills.Count,
            TradedNotional = traded,
            Turnover = years > 0 && meanEquity > 0 ? traded / meanEquity / years : 0,
            FeesPaid = result.Fills.Sum(f => f.Fee),
            SlippagePaid = result.Fills.Sum(f => f.SlippageCost),
            FundingPaid = 0.0 - result.Funding.Sum(f => f.Amount),
            Exposure = exposure,
            TimeInMarket = equity.Count > 0 ? curve.GrossExposure.Count(g => g > 0) / (double)equity.Count : 0,
            Periods = returns.Length,
            PeriodsPerYear = ppy,
            Years = years,
            Start = curve.Count > 0 ? curve.Times[0] : null,
            End = curve.Count > 0 ? curve.Times[^1] : null,
        };
    }

    public static double[] PeriodReturns(IReadOnlyList<double> equity)
    {
        if (equity.Count < 2) return [];
        var r = new double[equity.Count - 1];
        for (var i = 1; i < equity.Count; i++) r[i - 1] = equity[i - 1] > 0 ? equity[i] / equity[i - 1] - 1 : 0;
        return r;
    }

    public static double SampleStdDev(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = values.Average();
        double ss = 0;
        foreach (var v in values) ss += (v - mean) * (v - mean);
        return Math.Sqrt(ss / (values.Count - 1));
    }

    /// <summary>Largest fall from a running peak, and the longest time spent below a peak (to recovery or the end).</summary>
    public static (double MaxDrawdown, double LongestDays) DrawdownStats(IReadOnlyList<DateTimeOffset> times, IReadOnlyList<double> equity)
    {
        double peak = double.MinValue, worst = 0, longest = 0;
        var peakTime = times.Count > 0 ? times[0] : default;
        for (var i = 0; i < equity.Count; i++)
        {
            if (equity[i] >= peak)
            {
                peak = equity[i];
                peakTime = times[i];
                continue;
            }
            worst = Math.Max(worst, 1 - equity[i] / peak);
            longest = Math.Max(longest, (times[i] - peakTime).TotalDays);
        }
        return (worst, longest);
    }

    /// <summary>Drawdown at each point, as a positive fraction of the running peak (for charts).</summary>
    public static double[] DrawdownSeries(IReadOnlyList<double> equity)
    {
        var dd = new double[equity.Count];
        var peak = double.MinValue;
        for (var i = 0; i < equity.Count; i++)
        {
            peak = Math.Max(peak, equity[i]);
            dd[i] = peak > 0 ? 1 - equity[i] / peak : 0;
        }
        return dd;
    }
}
