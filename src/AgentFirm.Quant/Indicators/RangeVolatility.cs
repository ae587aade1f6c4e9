using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Range-based volatility: sqrt(mean of a per-bar variance estimator over the last n bars x periodsPerYear)
/// (issue 5: n = 20, 365 periods). Ready after n bars.
/// </summary>
public abstract class RangeVolatility : IBarIndicator
{
    private readonly RollingWindow _estimates;
    private readonly double _periodsPerYear;

    private protected RangeVolatility(int period, double periodsPerYear)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        if (!(periodsPerYear > 0)) throw new ArgumentOutOfRangeException(nameof(periodsPerYear), periodsPerYear, "Must be positive.");
        _estimates = new RollingWindow(period);
        _periodsPerYear = periodsPerYear;
    }

    public int Period => _estimates.Length;
    public int WarmUpPeriod => Period;
    public int Samples { get; private set; }
    public bool IsReady => _estimates.IsFull;
    public double Value { get; private set; } = double.NaN;

    public double Update(in Bar bar)
    {
        Samples++;
        _estimates.Add(Estimate(bar));
        if (IsReady) Value = Math.Sqrt(Math.Max(0, _estimates.Mean) * _periodsPerYear);
        return Value;
    }

    /// <summary>The bar's own variance estimate (per period, not annualised).</summary>
    protected abstract double Estimate(in Bar bar);
}

/// <summary>Parkinson (1980): per bar (ln(H/L))^2 / (4 ln 2).</summary>
public sealed class ParkinsonVolatility(int period = 20, double periodsPerYear = 365) : RangeVolatility(period, periodsPerYear)
{
    private static readonly double Scale = 1 / (4 * Math.Log(2));

    protected override double Estimate(in Bar bar)
    {
        var hl = Math.Log(bar.High / bar.Low);
        return Scale * hl * hl;
    }
}

/// <summary>Garman &amp; Klass (1980): per bar 0.5 (ln(H/L))^2 - (2 ln 2 - 1) (ln(C/O))^2.</summary>
public sealed class GarmanKlassVolatility(int period = 20, double periodsPerYear = 365) : RangeVolatility(period, periodsPerYear)
{
    private static readonly double CloseOpenWeight = 2 * Math.Log(2) - 1;

    protected override double Estimate(in Bar bar)
    {
        var hl = Math.Log(bar.High / bar.Low);
        var co = Math.Log(bar.Close / bar.Open);
        return 0.5 * hl * hl - CloseOpenWeight * co * co;
    }
}
