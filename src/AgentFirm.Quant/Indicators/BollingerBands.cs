using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Bollinger bands (Bollinger, "Bollinger on Bollinger Bands", 2001): middle = SMA(n) of closes, bands at
/// +/- k POPULATION standard deviations of the same n closes (issue 5; Bollinger uses the population
/// form). Defaults 20 and 2. <see cref="IIndicator.Value"/> is the middle band.
/// </summary>
public sealed class BollingerBands : IValueIndicator
{
    private readonly RollingWindow _window;

    public BollingerBands(int period = 20, double width = 2)
    {
        if (period < 1) throw new ArgumentOutOfRangeException(nameof(period), period, "The period must be at least 1.");
        if (!(width > 0)) throw new ArgumentOutOfRangeException(nameof(width), width, "The width must be positive.");
        _window = new RollingWindow(period);
        Width = width;
    }

    public int Period => _window.Length;
    public double Width { get; }
    public int WarmUpPeriod => Period;
    public int Samples { get; private set; }
    public bool IsReady => _window.IsFull;

    // Computed once per update: the core feature set reads all three bands every bar.
    public double Middle { get; private set; } = double.NaN;
    public double StandardDeviation { get; private set; } = double.NaN;
    public double Upper { get; private set; } = double.NaN;
    public double Lower { get; private set; } = double.NaN;
    public double Value => Middle;

    /// <summary>Where the last close sits in the band: 0 at the lower band, 1 at the upper; 0.5 when the band is flat.</summary>
    public double PercentB
    {
        get
        {
            if (!IsReady) return double.NaN;
            var span = 2 * Width * StandardDeviation;
            return span > 0 ? (_window.Ago(0) - Lower) / span : 0.5;
        }
    }

    public double Update(double value)
    {
        Samples++;
        _window.Add(value);
        if (IsReady)
        {
            Middle = _window.Mean;
            StandardDeviation = Math.Sqrt(_window.PopulationVariance);
            Upper = Middle + Width * StandardDeviation;
            Lower = Middle - Width * StandardDeviation;
        }
        return Value;
    }

    public double Update(in Bar bar) => Update(bar.Close);
}
