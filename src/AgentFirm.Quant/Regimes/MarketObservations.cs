using AgentFirm.Core;

namespace AgentFirm.Quant.Regimes;

/// <summary>
/// Turns the bars of every traded asset at one step into the market-level observation the state models read:
/// [0] the cross-sectional mean of the assets' log close-to-close returns, each divided by that asset's own
/// past-only scale (the root mean square of its earlier returns, expanding), and [1] half the log of the mean,
/// over the assets and the last <c>volatilityWindow</c> steps, of each bar's Garman-Klass range variance divided
/// by that asset's own past mean of it: the market's volatility relative to its history (0 a usual bar, ln 2
/// twice the usual volatility). One regime drives all crypto assets at once, so averaging across them cuts the
/// noise a single asset carries. A bar is always scaled by statistics built before it, never after.
/// </summary>
public sealed class MarketObservations
{
    public const int Dimension = 2;
    public const int ReturnDim = 0;
    public const int VolatilityDim = 1;

    /// <summary>Keeps the log of a flat market finite (a volatility of 1% of the usual).</summary>
    private const double VarianceFloor = 1e-4;

    private readonly Dictionary<string, AssetScale> _assets = new(StringComparer.OrdinalIgnoreCase);
    private readonly double[] _squares;
    private readonly int _scaleWarmup;
    private int _ringNext;
    private int _ringCount;
    private double _stepSum;
    private double _stepSquares;
    private int _stepAssets;

    public MarketObservations(int volatilityWindow, int scaleWarmup)
    {
        if (volatilityWindow < 1) throw new ArgumentException($"The volatility window must be at least 1 step, got {volatilityWindow}.", nameof(volatilityWindow));
        if (scaleWarmup < 1) throw new ArgumentException($"The scale warm-up must be at least 1 return, got {scaleWarmup}.", nameof(scaleWarmup));
        _squares = new double[volatilityWindow];
        _scaleWarmup = scaleWarmup;
    }

    /// <summary>Assets seen so far.</summary>
    public int Assets => _assets.Count;

    /// <summary>Adds one asset's bar at the current step. Bars with a non-positive or non-finite price are skipped and counted.</summary>
    public void Add(string symbol, Bar bar)
    {
        if (!(bar.Close > 0 && bar.Open > 0 && bar.Low > 0 && bar.High >= bar.Low) || !double.IsFinite(bar.High))
        {
            SkippedBars++;
            return;
        }
        if (!_assets.TryGetValue(symbol, out var asset)) _assets[symbol] = asset = new AssetScale();
        // Garman & Klass (1980) range variance of the bar: several times as efficient as a squared close-to-close
        // return, so a short window already tells quiet from loud.
        var hl = Math.Log(bar.High / bar.Low);
        var co = Math.Log(bar.Close / bar.Open);
        var range = 0.5 * hl * hl - (2 * Math.Log(2) - 1) * co * co;
        if (asset.LastClose > 0)
        {
            var r = Math.Log(bar.Close / asset.LastClose);
            if (asset.Count >= _scaleWarmup && asset.SumSquares > 0 && asset.SumRange > 0)
            {
                _stepSum += r / Math.Sqrt(asset.SumSquares / asset.Count);
                _stepSquares += range / (asset.SumRange / asset.Count);
                _stepAssets++;
            }
            asset.SumSquares += r * r; // after standardising: the scale is the past's
            asset.SumRange += range;
            asset.Count++;
        }
        asset.LastClose = bar.Close;
    }

    /// <summary>Bars that could not be used (a non-positive or non-finite price), counted rather than dropped silently.</summary>
    public long SkippedBars { get; private set; }

    /// <summary>
    /// Ends the step: writes the observation and returns true, or returns false when no asset had a
    /// standardised return yet (the first bars, or a step without bars).
    /// </summary>
    public bool TryComplete(Span<double> observation)
    {
        var n = _stepAssets;
        var sum = _stepSum;
        var squares = _stepSquares;
        _stepAssets = 0;
        _stepSum = 0;
        _stepSquares = 0;
        if (n == 0) return false;
        var meanSquare = squares / n;
        if (_ringCount < _squares.Length) _ringCount++;
        _squares[_ringNext] = meanSquare;
        _ringNext = (_ringNext + 1) % _squares.Length;
        // Summed afresh each step (the window is short): a running sum would drift with rounding.
        var windowSum = 0.0;
        for (var i = 0; i < _ringCount; i++) windowSum += _squares[i];
        observation[ReturnDim] = sum / n;
        observation[VolatilityDim] = 0.5 * Math.Log(windowSum / _ringCount + VarianceFloor);
        return true;
    }

    private sealed class AssetScale
    {
        public double LastClose;
        public double SumSquares;
        public double SumRange;
        public int Count;
    }
}
