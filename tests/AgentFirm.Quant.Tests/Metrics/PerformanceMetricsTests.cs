using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Metrics;

namespace AgentFirm.Quant.Tests.Metrics;

public sealed class PerformanceMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BacktestResult ResultFromEquity(Timeframe timeframe, params double[] equity)
    {
        var curve = new EquityCurve(equity.Length);
        for (var i = 0; i < equity.Length; i++) curve.Times.Add(T0 + i * timeframe.Duration);
        curve.Equity.AddRange(equity);
        curve.Cash.AddRange(equity);
        curve.GrossExposure.AddRange(equity.Select(_ => 0.0));
        curve.NetExposure.AddRange(equity.Select(_ => 0.0));
        return new BacktestResult("test", new BacktestOptions { InitialCash = equity[0] }, timeframe, [Instrument.Parse("BTC-USDT")], curve,
            [], [], [], [], new Dictionary<string, double>(), equity[^1], equity.Length);
    }

    [Fact]
    public void Daily_metrics_match_a_hand_computation_with_365_day_annualisation()
    {
        // Returns: +10%, -10%, +5%, -2% (equity 100, 110, 99, 103.95, 101.871).
        var m = PerformanceMetrics.From(ResultFromEquity(Timeframe.Day, 100, 110, 99, 103.95, 101.871));
        double[] r = [0.10, -0.10, 0.05, -0.02];
        var mean = r.Average();                                                   // 0.0075
        var sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / 3);              // sample sd
        var downside = Math.Sqrt((0.01 + 0.0004) / 4);                            // sqrt(mean(min(r,0)^2))

        Assert.Equal(0.01871, m.TotalReturn, 1e-12);
        Assert.Equal(sd * Math.Sqrt(365), m.Volatility, 1e-12);
        Assert.Equal(mean / sd * Math.Sqrt(365), m.Sharpe, 1e-12);
        Assert.Equal(mean / downside * Math.Sqrt(365), m.Sortino, 1e-12);
        Assert.Equal(0.1, m.MaxDrawdown, 1e-12);                                  // 110 -> 99
        Assert.Equal(3, m.MaxDrawdownDurationDays, 1e-12);                        // below 110 from day 2 to the end (day 4)
        var years = 4 / 365.0;
        Assert.Equal(Math.Pow(1.01871, 1 / years) - 1, m.Cagr, 1e-9);
        Assert.Equal(m.Cagr / 0.1, m.Calmar, 1e-9);
    }

    [Fact]
    public void Hourly_bars_annualise_with_8760_periods()
    {
        var m = PerformanceMetrics.From(ResultFromEquity(Timeframe.Hour, 100, 101, 100, 102));
        Assert.Equal(8760, m.PeriodsPerYear);
        double[] r = [0.01, 100.0 / 101 - 1, 0.02];
        var mean = r.Average();
        var sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / 2);
        Assert.Equal(sd * Math.Sqrt(8760), m.Volatility, 1e-12);
    }

    [Fact]
    public void Drawdown_duration_ends_when_the_old_peak_is_regained()
    {
        var times = Enumerable.Range(0, 6).Select(i => T0.AddDays(i)).ToArray();
        var (mdd, days) = PerformanceMetrics.DrawdownStats(times, [100, 80, 90, 100, 120, 119]);
        Assert.Equal(0.2, mdd, 1e-12);
        Assert.Equal(2, days, 1e-12); // under the peak of day 0 on days 1 and 2; regained on day 3
    }
}
