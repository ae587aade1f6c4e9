using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// MACD (Appel): line = EMA(fast) - EMA(slow) of closes, signal = EMA(signal) of the line, histogram =
/// line - signal; every EMA seeded with its first input and run from the first close (pandas
/// ewm(adjust=False) throughout). The line is published after <c>slow</c> closes, the signal and histogram
/// after slow + signal - 1. <see cref="IIndicator.Value"/> is the histogram.
/// </summary>
public sealed class MovingAverageConvergenceDivergence : IValueIndicator
{
    private readonly ExponentialMovingAverage _fast;
    private readonly ExponentialMovingAverage _slow;
    private readonly ExponentialMovingAverage _signal;

    public MovingAverageConvergenceDivergence(int fast = 12, int slow = 26, int signal = 9)
    {
        if (fast < 1 || signal < 1) throw new ArgumentOutOfRangeException(nameof(fast), "Periods must be at least 1.");
        if (slow <= fast) throw new ArgumentOutOfRangeException(nameof(slow), slow, $"The slow period must exceed the fast one ({fast}).");
        _fast = new ExponentialMovingAverage(fast);
        _slow = new ExponentialMovingAverage(slow);
        _signal = new ExponentialMovingAverage(signal);
    }

    public int LineWarmUpPeriod => _slow.Period;
    public int WarmUpPeriod => _slow.Period + _signal.Period - 1;
    public int Samples { get; private set; }
    public bool IsReady => Samples >= WarmUpPeriod;

    public double Line => Samples >= LineWarmUpPeriod ? _fast.Raw - _slow.Raw : double.NaN;
    public double Signal => IsReady ? _signal.Raw : double.NaN;
    public double Histogram => IsReady ? _fast.Raw - _slow.Raw - _signal.Raw : double.NaN;
    public double Value => Histogram;

    public double Update(double value)
    {
        _fast.Update(value);
        _slow.Update(value);
        _signal.Update(_fast.Raw - _slow.Raw);
        Samples++;
        return Value;
    }

    public double Update(in Bar bar) => Update(bar.Close);
}
