using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// RSI = 100 - 100 / (1 + avg gain / avg loss) over close-to-close changes, with Wilder smoothing (Wilder
/// 1978, "New Concepts in Technical Trading Systems": first averages are simple means of the first n
/// changes, then alpha 1/n). Needs n + 1 values. No losses gives 100; no change at all gives 50.
/// </summary>
public sealed class RelativeStrengthIndex : IValueIndicator
{
    private WilderAverage _gain;
    private WilderAverage _loss;
    private double _previous = double.NaN;

    public RelativeStrengthIndex(int period = 14)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        Period = period;
        _gain = new WilderAverage(period);
        _loss = new WilderAverage(period);
    }

    public int Period { get; }
    public int WarmUpPeriod => Period + 1;
    public int Samples { get; private set; }
    public bool IsReady => _gain.IsReady;
    public double Value { get; private set; } = double.NaN;

    public double Update(double value)
    {
        if (Samples++ > 0)
        {
            var change = value - _previous;
            _gain.Add(change > 0 ? change : 0);
            _loss.Add(change < 0 ? -change : 0);
            if (_gain.IsReady) Value = Rsi(_gain.Value, _loss.Value);
        }
        _previous = value;
        return Value;
    }

    public double Update(in Bar bar) => Update(bar.Close);

    internal static double Rsi(double gain, double loss)
    {
        if (loss <= 0) return gain <= 0 ? 50 : 100;
        return 100 - 100 / (1 + gain / loss);
    }
}
