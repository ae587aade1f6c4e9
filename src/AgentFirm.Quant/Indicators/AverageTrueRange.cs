using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Average true range with Wilder smoothing (Wilder 1978: the first ATR is the mean of the first n true
/// ranges, the first of which is high-low; then alpha 1/n). Ready after n bars.
/// </summary>
public sealed class AverageTrueRange : IBarIndicator
{
    private WilderAverage _average;
    private double _previousClose = double.NaN;

    public AverageTrueRange(int period = 14)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        _average = new WilderAverage(period);
    }

    public int Period => _average.Period;
    public int WarmUpPeriod => Period;
    public int Samples => _average.Count;
    public bool IsReady => _average.IsReady;
    public double Value => _average.Value;

    public double Update(in Bar bar)
    {
        _average.Add(TrueRange.Of(bar, _previousClose));
        _previousClose = bar.Close;
        return Value;
    }
}
