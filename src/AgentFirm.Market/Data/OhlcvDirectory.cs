using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>
/// Finds a series in a folder laid out like ../shared/data/ohlcv: DIR/&lt;timeframe&gt;/&lt;SYMBOL&gt;.csv, .csv.gz or
/// .parquet. DIR may also be the ohlcv folder's parent (DIR/ohlcv/&lt;timeframe&gt;/...). CSV wins over Parquet when
/// both exist, because the CSV is the source and a Parquet file beside it is usually a cache.
/// </summary>
public static class OhlcvDirectory
{
    private static readonly string[] Extensions = [".csv", ".csv.gz", ".parquet"];

    public static string Resolve(string dir, string symbol, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        var names = symbol == symbol.ToUpperInvariant() ? [symbol] : new[] { symbol, symbol.ToUpperInvariant() };
        var tried = new List<string>();
        foreach (var root in (ReadOnlySpan<string>)[dir, Path.Combine(dir, "ohlcv")])
        foreach (var name in names)
        foreach (var extension in Extensions)
        {
            var candidate = Path.Combine(root, timeframe.ToString(), name + extension);
            if (File.Exists(candidate)) return candidate;
            tried.Add(candidate);
        }
        throw new BadInputException(
            $"No {timeframe} data for {symbol} under '{dir}'. Looked for: {string.Join(", ", tried)}. " +
            "Expected DIR/<timeframe>/<SYMBOL>.csv|.csv.gz|.parquet (or DIR/ohlcv/<timeframe>/...).");
    }
}
