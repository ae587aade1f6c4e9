using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Lane's fast stochastic: %K = 100 (close - lowest low) / (highest high - lowest low) over the last k bars
/// including this one, %D = SMA(d) of %K. %K is published after k bars (50 when the range is flat), %D
/// after k + d - 1. <see cref="IIndicator.Value"/> is %K once both lines are published.
/// </summary>
public sealed class Stochastic : IBarIndicator
{
    private readonly RollingWindow _highs;
    private readonly RollingWindow _lows;
    private readonly SimpleMovingAverage _d;
    private double _highest;
    private double _lowest;

    public Stochastic(int kPeriod = 14, int dPeriod = 3)
    {
        if (kPeriod < 1) throw new ArgumentOutOfRangeException(nameof(kPeriod), kPeriod, "The period must be at least 1.");
        _highs = new RollingWindow(kPeriod);
        _lows = new RollingWindow(kPeriod);
        _d = new SimpleMovingAverage(dPeriod);
    }

    public int KPeriod => _highs.Length;
    public int DPeriod => _d.Period;
    public int WarmUpPeriod => KPeriod + DPeriod - 1;
    public int Samples { get; private set; }
    public bool IsReady => _d.IsReady;
    public double K { get; private set; } = double.NaN;
    public double D => _d.Value;
    public double Value => IsReady ? K : double.NaN;

    public double Update(in Bar bar)
    {
        Samples++;
        // Extremes kept incrementally: rescan the window (k is small) only when the bar leaving it held one.
        var full = _highs.IsFull;
        var leavingHigh = full ? _highs.Ago(KPeriod - 1) : double.NaN;
        var leavingLow = full ? _lows.Ago(KPeriod - 1) : double.NaN;
        _highs.Add(bar.High);
        _lows.Add(bar.Low);
        if (Samples == 1 || bar.High >= _highest) _highest = bar.High;
        else if (leavingHigh == _highest) _highest = _highs.Max();
        if (Samples == 1 || bar.Low <= _lowest) _lowest = bar.Low;
        else if (leavingLow == _lowest) _lowest = _lows.Min();
        if (!_highs.IsFull) return Value;
        var highest = _highest;
        var lowest = _lowest;
        var range = highest - lowest;
        K = range > 0 ? 100 * (bar.Close - lowest) / range : 50;
        _d.Update(K);
        return Value;
    }
}
