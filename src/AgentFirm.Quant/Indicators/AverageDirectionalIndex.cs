using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Wilder's directional movement (Wilder 1978): +DM / -DM from consecutive highs and lows (only the larger,
/// if positive), +DI / -DI = 100 x Wilder-smoothed DM / Wilder-smoothed true range (from the second bar),
/// DX = 100 |+DI - -DI| / (+DI + -DI), ADX = Wilder average of DX. The DIs are published after n + 1 bars,
/// ADX after 2n. <see cref="IIndicator.Value"/> is ADX.
/// </summary>
public sealed class AverageDirectionalIndex : IBarIndicator
{
    private WilderAverage _trueRange;
    private WilderAverage _plusDm;
    private WilderAverage _minusDm;
    private WilderAverage _adx;
    private Bar _previous;

    public AverageDirectionalIndex(int period = 14)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        _trueRange = new WilderAverage(period);
        _plusDm = new WilderAverage(period);
        _minusDm = new WilderAverage(period);
        _adx = new WilderAverage(period);
    }

    public int Period => _adx.Period;
    public int WarmUpPeriod => 2 * Period;
    public int Samples { get; private set; }
    public bool IsReady => _adx.IsReady;
    public double PlusDi { get; private set; } = double.NaN;
    public double MinusDi { get; private set; } = double.NaN;
    public double Value => _adx.Value;

    public double Update(in Bar bar)
    {
        if (Samples++ > 0)
        {
            var up = bar.High - _previous.High;
            var down = _previous.Low - bar.Low;
            _plusDm.Add(up > down && up > 0 ? up : 0);
            _minusDm.Add(down > up && down > 0 ? down : 0);
            _trueRange.Add(TrueRange.Of(bar, _previous.Close));
            if (_trueRange.IsReady)
            {
                var tr = _trueRange.Value;
                PlusDi = tr > 0 ? 100 * _plusDm.Value / tr : 0;
                MinusDi = tr > 0 ? 100 * _minusDm.Value / tr : 0;
                var sum = PlusDi + MinusDi;
                _adx.Add(sum > 0 ? 100 * Math.Abs(PlusDi - MinusDi) / sum : 0);
            }
        }
        _previous = bar;
        return Value;
    }
}
