using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Granville's on-balance volume: starts at 0 on the first bar, then adds the bar's volume when the close
/// rises, subtracts it when it falls, and leaves it when unchanged. Ready after one bar.
/// </summary>
public sealed class OnBalanceVolume : IBarIndicator
{
    private double _previousClose;
    private double _obv;

    public int WarmUpPeriod => 1;
    public int Samples { get; private set; }
    public bool IsReady => Samples > 0;
    public double Value => IsReady ? _obv : double.NaN;

    public double Update(in Bar bar)
    {
        if (Samples++ > 0)
        {
            if (bar.Close > _previousClose) _obv += bar.Volume;
            else if (bar.Close < _previousClose) _obv -= bar.Volume;
        }
        _previousClose = bar.Close;
        return Value;
    }
}
