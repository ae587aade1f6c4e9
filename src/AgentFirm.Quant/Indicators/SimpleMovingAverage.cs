using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Streaming simple moving average: the mean of the last <c>period</c> values, ready after <c>period</c>
/// values. Streaming makes it as-of by construction (it can only have seen what was fed so far).
/// </summary>
public sealed class SimpleMovingAverage : IValueIndicator
{
    private readonly RollingWindow _window;

    public SimpleMovingAverage(int period)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        _window = new RollingWindow(period);
    }

    public int Period => _window.Length;
    public int WarmUpPeriod => _window.Length;
    public int Samples { get; private set; }
    public bool IsReady => _window.IsFull;
    public double Value => IsReady ? _window.Mean : double.NaN;

    public double Update(double value)
    {
        Samples++;
        _window.Add(value);
        return Value;
    }

    public double Update(in Bar bar) => Update(bar.Close);
}
