using AgentFirm.Core;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Models.Forecasting;

/// <summary>
/// Model inputs from bars, every value as-of its bar's close: the core indicator set made scale-free (price-level
/// columns as a distance from the close, MACD and ATR relative to the close, oscillators over 100, volatilities
/// as they are), plus log returns over 1, 4 and 24 bars, plus optional lags of all of those (value at t - k).
/// Scale-free inputs let a model trained on 2018 prices apply to 2024 prices.
/// </summary>
public static class ForecastFeatures
{
    private static readonly HashSet<string> PriceLevels = ["sma20", "ema20", "wma20", "bb_mid", "bb_upper", "bb_lower"];
    private static readonly HashSet<string> PriceScaled = ["macd", "macd_signal", "macd_hist", "atr14"];
    private static readonly HashSet<string> Percent = ["rsi14", "stoch_k14", "stoch_d3"];
    private static readonly int[] ReturnSpans = [1, 4, 24];

    public sealed record Matrix(IReadOnlyList<string> Names, DateTimeOffset[] Times, double[][] Rows);

    /// <summary>The rows for <paramref name="bars"/>; NaN during warm-up (models skip those rows).</summary>
    public static Matrix Build(IReadOnlyList<Bar> bars, IReadOnlyList<int>? lags = null, double periodsPerYear = 365)
    {
        ArgumentNullException.ThrowIfNull(bars);
        lags ??= [];
        foreach (var k in lags) if (k < 1) throw new ArgumentOutOfRangeException(nameof(lags), k, "lags must be at least 1 bar");
        var table = CoreFeatureSet.Compute(bars, periodsPerYear);
        var n = bars.Count;
        var baseNames = new List<string>();
        var baseColumns = new List<double[]>();
        for (var c = 0; c < table.Names.Count; c++)
        {
            var name = table.Names[c];
            var source = table.Columns[c];
            var column = new double[n];
            for (var t = 0; t < n; t++)
            {
                var close = bars[t].Close;
                var v = source[t];
                column[t] = PriceLevels.Contains(name) ? v / close - 1
                    : PriceScaled.Contains(name) ? v / close
                    : Percent.Contains(name) ? v / 100
                    : v;
            }
            baseNames.Add(PriceLevels.Contains(name) ? $"{name}_gap" : PriceScaled.Contains(name) ? $"{name}_rel" : name);
            baseColumns.Add(column);
        }
        foreach (var span in ReturnSpans)
        {
            var column = new double[n];
            for (var t = 0; t < n; t++) column[t] = t >= span ? Math.Log(bars[t].Close / bars[t - span].Close) : double.NaN;
            baseNames.Add($"ret{span}");
            baseColumns.Add(column);
        }

        var names = new List<string>(baseNames);
        var columns = new List<double[]>(baseColumns);
        foreach (var k in lags)
            for (var c = 0; c < baseColumns.Count; c++)
            {
                var source = baseColumns[c];
                var column = new double[n];
                for (var t = 0; t < n; t++) column[t] = t >= k ? source[t - k] : double.NaN;
                names.Add($"{baseNames[c]}_lag{k}");
                columns.Add(column);
            }

        var rows = new double[n][];
        for (var t = 0; t < n; t++)
        {
            var row = new double[columns.Count];
            for (var c = 0; c < row.Length; c++) row[c] = columns[c][t];
            rows[t] = row;
        }
        return new Matrix(names, table.Times, rows);
    }
}
