using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Volume z-score: (volume - mean) / SAMPLE standard deviation over the last n volumes including this bar
/// (issue 5; pandas rolling(n).std() convention). 0 when the window's volume is constant. Ready after n bars.
/// </summary>
public sealed class VolumeZScore : IBarIndicator
{
    private readonly RollingWindow _volumes;

    public VolumeZScore(int period = 20)
    {
        if (period < 2) throw new ArgumentOutOfRangeException(nameof(period), period, "A sample standard deviation needs at least 2 values.");
        _volumes = new RollingWindow(period);
    }

    public int Period => _volumes.Length;
    public int WarmUpPeriod => Period;
    public int Samples { get; private set; }
    public bool IsReady => _volumes.IsFull;

    public double Value
    {
        get
        {
            if (!IsReady) return double.NaN;
            var sd = Math.Sqrt(_volumes.SampleVariance);
            var deviation = _volumes.Ago(0) - _volumes.Mean;
            // A constant window leaves only rounding noise in sd: call that "no surprise" rather than divide noise by noise.
            return sd > 1e-9 * Math.Abs(_volumes.Mean) && sd > 0 ? deviation / sd : 0;
        }
    }

    public double Update(in Bar bar)
    {
        Samples++;
        _volumes.Add(bar.Volume);
        return Value;
    }
}
