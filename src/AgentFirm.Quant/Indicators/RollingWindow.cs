namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Fixed-length window of the latest values with O(1) sum, mean and variance. Moments are kept about a
/// shift (the window mean at the last re-sync) and recomputed exactly once per lap of the ring, so neither
/// rounding drift over long series nor cancellation on large prices (BTC at 1e5) builds up.
/// </summary>
internal sealed class RollingWindow
{
    private readonly double[] _items;
    private int _next;
    private int _count;
    private double _shift;
    private double _s1;
    private double _s2;

    public RollingWindow(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "The window length must be at least 1.");
        _items = new double[length];
    }

    public int Length => _items.Length;
    public int Count => _count;
    public bool IsFull => _count == _items.Length;
    public double Sum => _s1 + _count * _shift;
    public double Mean => _shift + _s1 / _count;

    /// <summary>Dispersion about the mean, sum of squared deviations (clamped at 0 against rounding).</summary>
    public double SumSquaredDeviations => Math.Max(0, _s2 - _s1 * _s1 / _count);

    /// <summary>Sums smaller than this in magnitude are rounding noise of the shifted bookkeeping, i.e. zero.</summary>
    public double NoiseFloor => 1e-12 * _items.Length * Math.Abs(_shift);

    public double PopulationVariance => SumSquaredDeviations / _count;
    public double SampleVariance => SumSquaredDeviations / (_count - 1);

    /// <summary>The value fed <paramref name="ago"/> steps back (0 = newest); ago must be below Count.</summary>
    public double Ago(int ago)
    {
        var i = _next - 1 - ago;
        return _items[i < 0 ? i + _items.Length : i];
    }

    /// <summary>Largest value in the window; order does not matter, so a plain scan of the ring.</summary>
    public double Max()
    {
        var max = _items[0];
        for (var i = 1; i < _count; i++)
            if (_items[i] > max) max = _items[i];
        return max;
    }

    public double Min()
    {
        var min = _items[0];
        for (var i = 1; i < _count; i++)
            if (_items[i] < min) min = _items[i];
        return min;
    }

    public void Add(double value)
    {
        if (_count == _items.Length)
        {
            var d = _items[_next] - _shift;
            _s1 -= d;
            _s2 -= d * d;
        }
        else _count++;
        _items[_next] = value;
        var e = value - _shift;
        _s1 += e;
        _s2 += e * e;
        if (++_next == _items.Length)
        {
            _next = 0;
            Resync();
        }
    }

    private void Resync()
    {
        var sum = 0.0;
        for (var i = 0; i < _count; i++) sum += _items[i];
        _shift = sum / _count;
        _s1 = 0;
        _s2 = 0;
        for (var i = 0; i < _count; i++)
        {
            var d = _items[i] - _shift;
            _s1 += d;
            _s2 += d * d;
        }
    }
}
