using AgentFirm.Quant.Features;
using AgentFirm.Core;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Models.Forecasting;

/// <summary>
/// Model inputs from bars, every value as-of its bar's close: the core indicator set made scale-free (price-level
/// columns as a distance from the close, MACD and ATR relative to the close, oscillators over 100, volatilities
/// as they are), plus log returns over 1, 4 and 24 bars, plus optional lags of all of those (value at t - k).
/// Scale-free inputs let a model trained on 2018 prices apply to 2024 prices. Streaming: one
/// <see cref="Next"/> per bar, so a live analyst and a whole-history <see cref="Build"/> give the same rows.
/// </summary>
public sealed class ForecastFeatures
{
    private static readonly HashSet<string> PriceLevels = ["sma20", "ema20", "wma20", "bb_mid", "bb_upper", "bb_lower"];
    private static readonly HashSet<string> PriceScaled = ["macd", "macd_signal", "macd_hist", "atr14"];
    private static readonly HashSet<string> Percent = ["rsi14", "stoch_k14", "stoch_d3"];
    private static readonly int[] ReturnSpans = [1, 4, 24];
    private enum Scale { Gap, Relative, Percent, AsIs }
    private static readonly Scale[] Scales = CoreFeatureSet.Names
        .Select(n => PriceLevels.Contains(n) ? Scale.Gap : PriceScaled.Contains(n) ? Scale.Relative : Percent.Contains(n) ? Scale.Percent : Scale.AsIs).ToArray();

    public sealed record Matrix(IReadOnlyList<string> Names, DateTimeOffset[] Times, double[][] Rows);

    private readonly CoreFeatureSet _core;
    private readonly double[][] _scratch = CoreFeatureSet.Names.Select(_ => new double[1]).ToArray();
    private readonly int[] _lags;
    private readonly List<double> _closes = [];
    private readonly List<double[]> _baseRows = [];
    private readonly int _keep;

    public ForecastFeatures(IReadOnlyList<int>? lags = null, double periodsPerYear = 365)
    {
        _lags = (lags ?? []).ToArray();
        foreach (var k in _lags) if (k < 1) throw new ArgumentOutOfRangeException(nameof(lags), k, "lags must be at least 1 bar");
        _core = new CoreFeatureSet(periodsPerYear);
        var baseNames = CoreFeatureSet.Names.Select((n, c) => Scales[c] switch { Scale.Gap => $"{n}_gap", Scale.Relative => $"{n}_rel", _ => n })
            .Concat(ReturnSpans.Select(s => $"ret{s}")).ToArray();
        BaseCount = baseNames.Length;
        Names = baseNames.Concat(_lags.SelectMany(k => baseNames.Select(n => $"{n}_lag{k}"))).ToArray();
        _keep = Math.Max(ReturnSpans.Max(), _lags.DefaultIfEmpty(0).Max()) + 1;
    }

    public IReadOnlyList<string> Names { get; }
    private int BaseCount { get; }

    /// <summary>The row for <paramref name="bar"/> (known at its close); NaN where history is still too short.</summary>
    public double[] Next(in Bar bar)
    {
        _core.Update(bar);
        _core.Write(_scratch, 0);
        var close = bar.Close;
        _closes.Add(close);
        var n = _closes.Count;
        var baseRow = new double[BaseCount];
        for (var c = 0; c < Scales.Length; c++)
        {
            var v = _scratch[c][0];
            baseRow[c] = Scales[c] switch
            {
                Scale.Gap => v / close - 1,
                Scale.Relative => v / close,
                Scale.Percent => v / 100,
                _ => v,
            };
        }
        for (var s = 0; s < ReturnSpans.Length; s++)
        {
            var span = ReturnSpans[s];
            baseRow[Scales.Length + s] = n > span ? Math.Log(close / _closes[n - 1 - span]) : double.NaN;
        }
        _baseRows.Add(baseRow);
        var row = new double[Names.Count];
        Array.Copy(baseRow, row, BaseCount);
        for (var l = 0; l < _lags.Length; l++)
        {
            var k = _lags[l];
            var offset = BaseCount * (l + 1);
            if (_baseRows.Count > k) Array.Copy(_baseRows[^(k + 1)], 0, row, offset, BaseCount);
            else Array.Fill(row, double.NaN, offset, BaseCount);
        }
        // Only the last few bars are ever looked back at.
        if (_closes.Count > 4 * _keep)
        {
            _closes.RemoveRange(0, _closes.Count - _keep);
            _baseRows.RemoveRange(0, _baseRows.Count - _keep);
        }
        return row;
    }

    /// <summary>
    /// The core rows of <see cref="Build"/> followed by the 184 columns of the `all` feature set (core indicators,
    /// ADX/Keltner/OBV/MFI/VWAP, Alpha158-style), each as its rolling z-score over the previous
    /// <paramref name="zScoreWindow"/> rows with the current row excluded: the raw set mixes price levels, counts
    /// and volume ratios near 1e13 on filler bars, and scoring each against its own past makes them comparable
    /// without a statistic from later bars. Rows stay NaN until every column has a full window.
    /// </summary>
    public static Matrix BuildWithAllSet(IReadOnlyList<Bar> bars, IReadOnlyList<int>? lags = null, double periodsPerYear = 365, int zScoreWindow = 250)
    {
        var core = Build(bars, lags, periodsPerYear);
        var all = Normalisation.RollingZScore(FeatureSets.Compute(bars, FeatureSetKind.All, periodsPerYear), zScoreWindow, excludeCurrent: true);
        var names = core.Names.Concat(all.Names.Select(n => "z_" + n)).ToArray();
        var rows = new double[bars.Count][];
        for (var t = 0; t < rows.Length; t++)
        {
            var row = new double[names.Length];
            core.Rows[t].CopyTo(row, 0);
            for (var c = 0; c < all.Columns.Length; c++) row[core.Names.Count + c] = all.Columns[c][t];
            rows[t] = row;
        }
        return new Matrix(names, core.Times, rows);
    }

    /// <summary>The rows for <paramref name="bars"/>; NaN during warm-up (models skip those rows).</summary>
    public static Matrix Build(IReadOnlyList<Bar> bars, IReadOnlyList<int>? lags = null, double periodsPerYear = 365)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var stream = new ForecastFeatures(lags, periodsPerYear);
        var rows = new double[bars.Count][];
        var times = new DateTimeOffset[bars.Count];
        for (var t = 0; t < bars.Count; t++)
        {
            rows[t] = stream.Next(bars[t]);
            times[t] = bars[t].Time;
        }
        return new Matrix(stream.Names, times, rows);
    }
}
