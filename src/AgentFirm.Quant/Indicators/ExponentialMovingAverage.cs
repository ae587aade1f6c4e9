using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Exponential moving average with alpha = 2 / (period + 1), seeded with the first value (issue 5; the
/// same recursion as pandas' ewm(span=n, adjust=False)). The recursion runs from the first value but the
/// value is published only after <c>period</c> values, when the seed's weight has faded to (1-alpha)^n.
/// </summary>
public sealed class ExponentialMovingAverage : IValueIndicator
{
    private readonly double _alpha;
    private double _ema = double.NaN;

    public ExponentialMovingAverage(int period)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        Period = period;
        _alpha = 2.0 / (period + 1);
    }

    public int Period { get; }
    public int WarmUpPeriod => Period;
    public int Samples { get; private set; }
    public bool IsReady => Samples >= Period;
    public double Value => IsReady ? _ema : double.NaN;

    /// <summary>The running average even during warm-up (NaN before the first value): MACD builds on it.</summary>
    internal double Raw => _ema;

    public double Update(double value)
    {
        _ema = Samples == 0 ? value : _ema + _alpha * (value - _ema);
        Samples++;
        return Value;
    }

    public double Update(in Bar bar) => Update(bar.Close);
}
