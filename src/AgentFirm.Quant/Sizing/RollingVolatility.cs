namespace AgentFirm.Quant.Sizing;

/// <summary>
/// Annualised realised volatility: the sample standard deviation of the last <see cref="Window"/> log
/// returns of closes, times sqrt(periods per year). Streaming, one close at a time, so a reading uses
/// only closes already seen (as-of by construction).
/// </summary>
public sealed class RollingVolatility
{
    private readonly double[] _returns;
    private readonly double _annualisation;
    private double _lastClose = double.NaN;
    private int _count;
    private int _next;

    public RollingVolatility(int window, double periodsPerYear)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), window, "A volatility window needs at least 2 returns.");
        if (!double.IsFinite(periodsPerYear) || periodsPerYear <= 0)
            throw new ArgumentOutOfRangeException(nameof(periodsPerYear), periodsPerYear, "Periods per year must be positive.");
        _returns = new double[window];
        _annualisation = Math.Sqrt(periodsPerYear);
    }

    public int Window => _returns.Length;

    /// <summary>True once <see cref="Window"/> returns (Window + 1 closes) have been seen.</summary>
    public bool IsReady => _count >= _returns.Length;

    /// <summary>The annualised volatility, or null while warming up.</summary>
    public double? Value { get; private set; }

    /// <summary>Adds the next close; throws for a close that is not a positive finite price.</summary>
    public double? Update(double close)
    {
        if (!double.IsFinite(close) || close <= 0)
            throw new ArgumentOutOfRangeException(nameof(close), close, "A close must be a positive finite price.");
        if (!double.IsNaN(_lastClose))
        {
            _returns[_next] = Math.Log(close / _lastClose);
            _next = (_next + 1) % _returns.Length;
            _count = Math.Min(_count + 1, _returns.Length);
            if (IsReady) Value = SampleStdDev(_returns) * _annualisation;
        }
        _lastClose = close;
        return Value;
    }

    // Recomputed over the window (two passes) rather than by running sums: exact and cheap for small windows.
    private static double SampleStdDev(double[] values)
    {
        var mean = 0.0;
        foreach (var v in values) mean += v;
        mean /= values.Length;
        var squares = 0.0;
        foreach (var v in values) squares += (v - mean) * (v - mean);
        return Math.Sqrt(squares / (values.Length - 1));
    }
}
