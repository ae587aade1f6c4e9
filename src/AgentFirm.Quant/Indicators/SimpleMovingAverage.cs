namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Streaming simple moving average: update with one value at a time, ready after <c>period</c> values.
/// Streaming makes it as-of by construction (it can only have seen what was fed so far).
/// </summary>
public sealed class SimpleMovingAverage
{
    private readonly double[] _window;
    private int _count;
    private int _next;
    private double _sum;

    public SimpleMovingAverage(int period)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        _window = new double[period];
    }

    public int Period => _window.Length;
    public bool IsReady => _count >= _window.Length;
    public double Value => IsReady ? _sum / _window.Length : double.NaN;

    public double Update(double value)
    {
        if (_count >= _window.Length) _sum -= _window[_next];
        else _count++;
        _window[_next] = value;
        _sum += value;
        _next = (_next + 1) % _window.Length;
        return Value;
    }
}
