namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Wilder's smoothing (Wilder 1978, "New Concepts in Technical Trading Systems"): the first value is the
/// simple mean of the first n inputs, then avg += (x - avg) / n, i.e. an EMA with alpha 1/n.
/// A mutable struct held in a field of its owner, so updating it allocates nothing.
/// </summary>
internal struct WilderAverage(int period)
{
    private double _sum;

    public int Period { get; } = period;
    public int Count { get; private set; }
    public double Value { get; private set; } = double.NaN;
    public readonly bool IsReady => Count >= Period;

    public void Add(double x)
    {
        if (Count >= Period) Value += (x - Value) / Period;
        else
        {
            _sum += x;
            if (Count + 1 == Period) Value = _sum / Period;
        }
        Count++;
    }
}
