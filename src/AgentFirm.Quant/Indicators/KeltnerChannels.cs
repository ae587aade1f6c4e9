using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Keltner channels in the modern form StockCharts documents (Raschke's revision of Keltner 1960): middle =
/// EMA(20) of closes (seeded with the first close), bands at +/- 2 x ATR(10) (Wilder). Ready when both are.
/// <see cref="IIndicator.Value"/> is the middle line.
/// </summary>
public sealed class KeltnerChannels : IBarIndicator
{
    private readonly ExponentialMovingAverage _middle;
    private readonly AverageTrueRange _atr;

    public KeltnerChannels(int emaPeriod = 20, int atrPeriod = 10, double width = 2)
    {
        if (!(width > 0)) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be positive.");
        _middle = new ExponentialMovingAverage(emaPeriod);
        _atr = new AverageTrueRange(atrPeriod);
        Width = width;
    }

    public double Width { get; }
    public int WarmUpPeriod => Math.Max(_middle.WarmUpPeriod, _atr.WarmUpPeriod);
    public int Samples => _middle.Samples;
    public bool IsReady => _middle.IsReady && _atr.IsReady;
    public double Middle => IsReady ? _middle.Value : double.NaN;
    public double Upper => Middle + Width * _atr.Value;
    public double Lower => Middle - Width * _atr.Value;
    public double Value => Middle;

    public double Update(in Bar bar)
    {
        _middle.Update(bar.Close);
        _atr.Update(bar);
        return Value;
    }
}
