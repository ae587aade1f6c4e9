using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Money flow index (Quong & Soudack 1989): raw flow = typical price (H+L+C)/3 x volume, positive when the
/// typical price rose from the previous bar, negative when it fell, neither when unchanged; MFI = 100 - 100
/// / (1 + sum positive / sum negative) over the last n flows. Needs n + 1 bars. No negative flow gives 100;
/// no flow at all gives 50.
/// </summary>
public sealed class MoneyFlowIndex : IBarIndicator
{
    private readonly RollingWindow _positive;
    private readonly RollingWindow _negative;
    private double _previousTypical;

    public MoneyFlowIndex(int period = 14)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        _positive = new RollingWindow(period);
        _negative = new RollingWindow(period);
    }

    public int Period => _positive.Length;
    public int WarmUpPeriod => Period + 1;
    public int Samples { get; private set; }
    public bool IsReady => _positive.IsFull;
    public double Value => IsReady ? RelativeStrengthIndex.Rsi(Math.Max(0, _positive.Sum), Math.Max(0, _negative.Sum)) : double.NaN;

    public double Update(in Bar bar)
    {
        var typical = (bar.High + bar.Low + bar.Close) / 3;
        if (Samples++ > 0)
        {
            var flow = typical * bar.Volume;
            _positive.Add(typical > _previousTypical ? flow : 0);
            _negative.Add(typical < _previousTypical ? flow : 0);
        }
        _previousTypical = typical;
        return Value;
    }
}
