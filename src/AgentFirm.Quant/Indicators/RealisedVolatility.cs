using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Close-to-close realised volatility: the SAMPLE standard deviation of the last n log returns ln(C_t /
/// C_t-1), annualised by sqrt(periodsPerYear) (issue 5: 365, crypto trading every day). Needs n + 1 closes.
/// </summary>
public sealed class RealisedVolatility : IValueIndicator
{
    private readonly RollingWindow _returns;
    private readonly double _annualise;
    private double _previous;

    public RealisedVolatility(int period = 20, double periodsPerYear = 365)
    {
        if (period < 2) throw new ArgumentOutOfRangeException(nameof(period), period, "A sample standard deviation needs at least 2 returns.");
        if (!(periodsPerYear > 0)) throw new ArgumentOutOfRangeException(nameof(periodsPerYear), periodsPerYear, "Must be positive.");
        _returns = new RollingWindow(period);
        _annualise = Math.Sqrt(periodsPerYear);
    }

    public int Period => _returns.Length;
    public int WarmUpPeriod => Period + 1;
    public int Samples { get; private set; }
    public bool IsReady => _returns.IsFull;
    public double Value { get; private set; } = double.NaN;

    public double Update(double value)
    {
        if (Samples++ > 0)
        {
            _returns.Add(Math.Log(value / _previous));
            if (IsReady) Value = Math.Sqrt(_returns.SampleVariance) * _annualise;
        }
        _previous = value;
        return Value;
    }

    public double Update(in Bar bar) => Update(bar.Close);
}
