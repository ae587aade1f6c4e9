using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Linearly weighted moving average: weights 1..n, the newest value weighted n, divided by n(n+1)/2.
/// O(1) per update: when the window slides every weight drops by one, so W' = W - S + n x.
/// </summary>
public sealed class WeightedMovingAverage : IValueIndicator
{
    private readonly RollingWindow _window;
    private readonly double _denominator;
    private double _weighted;
    private int _untilResum;

    public WeightedMovingAverage(int period)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        _window = new RollingWindow(period);
        _denominator = period * (period + 1) / 2.0;
        _untilResum = period;
    }

    public int Period => _window.Length;
    public int WarmUpPeriod => Period;
    public int Samples { get; private set; }
    public bool IsReady => _window.IsFull;
    public double Value => IsReady ? _weighted / _denominator : double.NaN;

    public double Update(double value)
    {
        var n = Period;
        if (_window.IsFull) _weighted += n * value - _window.Sum;
        else _weighted += (_window.Count + 1) * value;
        _window.Add(value);
        // Re-sum exactly once per lap, as RollingWindow does, so drift cannot build up over long series.
        Samples++;
        if (--_untilResum == 0)
        {
            _untilResum = n;
            _weighted = 0;
            for (var ago = 0; ago < n; ago++) _weighted += (n - ago) * _window.Ago(ago);
        }
        return Value;
    }

    public double Update(in Bar bar) => Update(bar.Close);
}
