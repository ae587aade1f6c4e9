using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Rolling volume-weighted average price: sum(typical price x volume) / sum(volume) over the last n bars,
/// typical price (H+L+C)/3. A window with no volume (filler bars) gives the mean typical price.
/// </summary>
public sealed class RollingVwap : IBarIndicator
{
    private readonly RollingWindow _dollars;
    private readonly RollingWindow _volume;
    private readonly RollingWindow _typical;

    public RollingVwap(int period = 20)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        _dollars = new RollingWindow(period);
        _volume = new RollingWindow(period);
        _typical = new RollingWindow(period);
    }

    public int Period => _volume.Length;
    public int WarmUpPeriod => Period;
    public int Samples { get; private set; }
    public bool IsReady => _volume.IsFull;

    public double Value
    {
        get
        {
            if (!IsReady) return double.NaN;
            var volume = _volume.Sum;
            return volume > _volume.NoiseFloor ? _dollars.Sum / volume : _typical.Mean;
        }
    }

    public double Update(in Bar bar)
    {
        Samples++;
        var typical = (bar.High + bar.Low + bar.Close) / 3;
        _typical.Add(typical);
        _dollars.Add(typical * bar.Volume);
        _volume.Add(bar.Volume);
        return Value;
    }
}
