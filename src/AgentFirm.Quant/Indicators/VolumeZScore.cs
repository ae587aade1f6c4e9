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

    public double Value { get; private set; } = double.NaN;

    public double Update(in Bar bar)
    {
        Samples++;
        _volumes.Add(bar.Volume);
        if (!IsReady) return Value;
        var mean = _volumes.Mean;
        var sd = Math.Sqrt(_volumes.SampleVariance);
        // A constant window leaves only rounding noise in sd: call that "no surprise" rather than divide noise by noise.
        Value = sd > 1e-9 * Math.Abs(mean) && sd > 0 ? (bar.Volume - mean) / sd : 0;
        return Value;
    }
}
