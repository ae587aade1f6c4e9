using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>
/// Loads one OHLCV file with strict validation: shared-schema CSV (.csv / .csv.gz), Binance kline CSV
/// (detected by its 12 columns) or Parquet (.parquet). Every broken row throws <see cref="BadInputException"/>
/// naming file, row (1-based line, header = 1; for Parquet the 1-based record) and field. Gaps follow
/// <see cref="LoadOptions.Gaps"/>; spikes only warn. Nothing is dropped silently: see <see cref="LoadReport"/>.
/// </summary>
public static partial class BarLoader
{
    public static LoadedSeries Load(string path, LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found.");
        var raw = File.ReadAllBytes(path);
        var sha = Convert.ToHexStringLower(SHA256.HashData(raw));

        RawBars rows;
        string timeField;
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            rows = ParquetBars.ReadRows(path, raw);
            timeField = "timestamp";
        }
        else
        {
            var text = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(path, raw) : raw;
            rows = OhlcvCsvParser.Parse(path, text, out var layout);
            timeField = layout == OhlcvCsvParser.Layout.Binance ? "open_time" : "timestamp";
        }
        if (rows.Count == 0) throw new BadInputException(path, 2, timeField, "no data rows: the file holds a header only");

        var warnings = new List<LoadWarning>();
        var series = SeriesAssembler.Assemble(path, rows, options, timeField, warnings);
        SpikeCheck.Run(path, rows, options, warnings);
        warnings.Sort((a, b) => a.Row.CompareTo(b.Row));

        var report = new LoadReport(path, sha, rows.Count, series.Gaps, series.MissingBars, series.FilledBars, warnings,
            new DateTimeOffset(rows.Ticks[0], TimeSpan.Zero), new DateTimeOffset(rows.Ticks[rows.Count - 1], TimeSpan.Zero));
        return new LoadedSeries(options.Symbol ?? SymbolFromFileName(path), series.Timeframe, series.Bars, report);
    }

    /// <summary>BTC-USDT.csv.gz -> BTC-USDT; a Binance dump name BTCUSDT-1h-2025-01.csv -> BTC-USDT.</summary>
    public static string SymbolFromFileName(string path)
    {
        var name = Path.GetFileName(path);
        foreach (var suffix in (ReadOnlySpan<string>)[".gz", ".csv", ".parquet"])
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) name = name[..^suffix.Length];
        var dump = BinanceDumpName().Match(name);
        if (!dump.Success) return name;
        var pair = dump.Groups[1].Value.ToUpperInvariant();
        foreach (var quote in (ReadOnlySpan<string>)["FDUSD", "USDT", "USDC", "BUSD", "TUSD", "BTC", "ETH", "BNB", "EUR", "TRY"])
            if (pair.Length > quote.Length && pair.EndsWith(quote, StringComparison.Ordinal))
                return $"{pair[..^quote.Length]}-{quote}";
        return pair;
    }

    [GeneratedRegex(@"^([A-Za-z0-9]+)-\d+[smhdwM]-\d{4}-\d{2}(-\d{2})?$")]
    private static partial Regex BinanceDumpName();

    private static byte[] Gunzip(string path, byte[] compressed)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            using var output = new MemoryStream(compressed.Length * 4);
            input.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException($"{path}: not a valid gzip file ({e.Message}).");
        }
    }
}
