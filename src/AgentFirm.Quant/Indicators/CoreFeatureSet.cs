using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// The issue-5 core feature set, streaming: one <see cref="Update"/> per bar feeds every indicator once.
/// Columns, in order: sma20, ema20, wma20, rsi14, macd, macd_signal, macd_hist (12/26/9), atr14, bb_mid,
/// bb_upper, bb_lower (20, 2 population sd), rv20, vol_z20, stoch_k14, stoch_d3, parkinson20, garman_klass20.
/// Volatilities are annualised with sqrt(365) whatever the bar length (the contract).
/// </summary>
public sealed class CoreFeatureSet
{
    public static IReadOnlyList<string> Names { get; } =
    [
        "sma20", "ema20", "wma20", "rsi14", "macd", "macd_signal", "macd_hist", "atr14", "bb_mid", "bb_upper",
        "bb_lower", "rv20", "vol_z20", "stoch_k14", "stoch_d3", "parkinson20", "garman_klass20",
    ];

    private readonly SimpleMovingAverage _sma = new(20);
    private readonly ExponentialMovingAverage _ema = new(20);
    private readonly WeightedMovingAverage _wma = new(20);
    private readonly RelativeStrengthIndex _rsi = new(14);
    private readonly MovingAverageConvergenceDivergence _macd = new(12, 26, 9);
    private readonly AverageTrueRange _atr = new(14);
    private readonly BollingerBands _bollinger = new(20, 2);
    private readonly RealisedVolatility _rv;
    private readonly VolumeZScore _volumeZ = new(20);
    private readonly Stochastic _stochastic = new(14, 3);
    private readonly ParkinsonVolatility _parkinson;
    private readonly GarmanKlassVolatility _garmanKlass;

    public CoreFeatureSet(double periodsPerYear = 365)
    {
        _rv = new RealisedVolatility(20, periodsPerYear);
        _parkinson = new ParkinsonVolatility(20, periodsPerYear);
        _garmanKlass = new GarmanKlassVolatility(20, periodsPerYear);
    }

    /// <summary>Bars needed before every column is filled (MACD's signal: 26 + 9 - 1).</summary>
    public static int WarmUpPeriod => 34;

    public void Update(in Bar bar)
    {
        var close = bar.Close;
        _sma.Update(close);
        _ema.Update(close);
        _wma.Update(close);
        _rsi.Update(close);
        _macd.Update(close);
        _atr.Update(bar);
        _bollinger.Update(close);
        _rv.Update(close);
        _volumeZ.Update(bar);
        _stochastic.Update(bar);
        _parkinson.Update(bar);
        _garmanKlass.Update(bar);
    }

    /// <summary>Writes the current values, in <see cref="Names"/> order, into row <paramref name="row"/> of the columns.</summary>
    public void Write(double[][] columns, int row)
    {
        columns[0][row] = _sma.Value;
        columns[1][row] = _ema.Value;
        columns[2][row] = _wma.Value;
        columns[3][row] = _rsi.Value;
        columns[4][row] = _macd.Line;
        columns[5][row] = _macd.Signal;
        columns[6][row] = _macd.Histogram;
        columns[7][row] = _atr.Value;
        columns[8][row] = _bollinger.Middle;
        columns[9][row] = _bollinger.Upper;
        columns[10][row] = _bollinger.Lower;
        columns[11][row] = _rv.Value;
        columns[12][row] = _volumeZ.Value;
        columns[13][row] = _stochastic.K;
        columns[14][row] = _stochastic.D;
        columns[15][row] = _parkinson.Value;
        columns[16][row] = _garmanKlass.Value;
    }

    /// <summary>
    /// The core set for a whole series, each row as-of its bar: the batch path (<see cref="CoreFeatureBatch"/>),
    /// equal to <see cref="ComputeStreaming"/> within rounding (1e-9 relative) and several times faster.
    /// </summary>
    public static FeatureTable Compute(IReadOnlyList<Bar> bars, double periodsPerYear = 365)
    {
        ArgumentNullException.ThrowIfNull(bars);
        if (!(periodsPerYear > 0)) throw new ArgumentOutOfRangeException(nameof(periodsPerYear), periodsPerYear, "Must be positive.");
        var array = bars as Bar[] ?? bars.ToArray();
        var (columns, times) = Allocate(array.Length);
        CoreFeatureBatch.Fill(array, columns, times, periodsPerYear);
        return new FeatureTable(Names, times, columns);
    }

    /// <summary>The core set bar by bar through the streaming indicators, as a live feed computes it.</summary>
    public static FeatureTable ComputeStreaming(IReadOnlyList<Bar> bars, double periodsPerYear = 365)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var n = bars.Count;
        var (columns, times) = Allocate(n);
        var set = new CoreFeatureSet(periodsPerYear);
        if (bars is Bar[] array) set.Fill(array, columns, times);
        else
            for (var t = 0; t < n; t++)
            {
                var bar = bars[t];
                set.Update(bar);
                set.Write(columns, t);
                times[t] = bar.Time;
            }
        return new FeatureTable(Names, times, columns);
    }

    // Every cell is written by both paths, so skip zeroing the 17 x n doubles.
    private static (double[][] Columns, DateTimeOffset[] Times) Allocate(int n)
    {
        var columns = new double[Names.Count][];
        for (var c = 0; c < columns.Length; c++) columns[c] = GC.AllocateUninitializedArray<double>(n);
        return (columns, GC.AllocateUninitializedArray<DateTimeOffset>(n));
    }

    // The common case (loaded bars are an array) without an interface call and a 56-byte copy per bar.
    private void Fill(ReadOnlySpan<Bar> bars, double[][] columns, DateTimeOffset[] times)
    {
        for (var t = 0; t < bars.Length; t++)
        {
            ref readonly var bar = ref bars[t];
            Update(bar);
            Write(columns, t);
            times[t] = bar.Time;
        }
    }
}
