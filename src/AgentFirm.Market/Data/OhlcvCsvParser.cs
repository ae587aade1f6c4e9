using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>
/// Hand-rolled parser for the two CSV layouts we meet, straight from UTF-8 bytes with no per-row strings:
/// the shared schema (header timestamp,open,high,low,close,volume) and Binance kline exports (12 columns,
/// usually no header: open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,
/// taker_buy_quote_volume,ignore; open_time in ms, or in microseconds for data.binance.vision files from 2025).
/// </summary>
internal static class OhlcvCsvParser
{
    public static readonly string[] BinanceColumns =
    [
        "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count",
        "taker_buy_volume", "taker_buy_quote_volume", "ignore",
    ];

    private static readonly string[] BinanceNames = BinanceColumns[..6];

    internal enum Layout { Shared, Binance }

    public static RawBars Parse(string file, ReadOnlySpan<byte> data, out Layout layout)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) data = data[3..];
        var firstLine = FirstLine(data);
        layout = Detect(file, firstLine, out var hasHeader);
        var names = layout == Layout.Shared ? BarRules.SharedColumns : BinanceNames;
        var columns = layout == Layout.Shared ? 6 : 12;
        var rows = new RawBars(data.Length / 40);

        long row = 0;
        var pos = 0;
        while (pos < data.Length)
        {
            var rest = data[pos..];
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            pos += newline < 0 ? rest.Length : newline + 1;
            row++;
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (row == 1 && hasHeader) continue;
            if (line.IsEmpty)
            {
                // Trailing blank lines are harmless; a blank line inside the data is a broken row.
                if (data[pos..].IndexOfAnyExcept((byte)'\n', (byte)'\r', (byte)' ') < 0) break;
                throw new BadInputException(file, row, "columns", $"blank line; expected {columns} comma-separated columns");
            }
            ParseRow(file, row, line, columns, names, rows);
            BarRules.CheckOrder(file, rows, rows.Count - 1, names[0]);
        }
        return rows;
    }

    private static void ParseRow(string file, long row, ReadOnlySpan<byte> line, int columns, string[] names, RawBars rows)
    {
        // Column count first: a shifted row would otherwise report a misleading field.
        var commas = line.Count((byte)',');
        if (commas != columns - 1)
            throw new BadInputException(file, row, "columns",
                $"expected {columns} comma-separated columns ({string.Join(',', columns == 6 ? names : BinanceColumns)}), found {commas + 1}");

        var rest = line;
        var time = Next(ref rest);
        if (!Utf8Fields.TryParseTimestamp(time, out var ticks))
            throw new BadInputException(file, row, names[0],
                $"'{Utf8Fields.Show(time)}' is not a timestamp (expected ISO-8601 UTC YYYY-MM-DDTHH:MM:SSZ, 'YYYY-MM-DD HH:MM:SS', YYYY-MM-DD or unix s/ms/us)");
        var open = Number(file, row, names[1], Next(ref rest));
        var high = Number(file, row, names[2], Next(ref rest));
        var low = Number(file, row, names[3], Next(ref rest));
        var close = Number(file, row, names[4], Next(ref rest));
        var volume = Number(file, row, names[5], Next(ref rest));
        BarRules.Check(file, row, names, open, high, low, close, volume);
        rows.Add(ticks, open, high, low, close, volume, row);
    }

    private static ReadOnlySpan<byte> Next(ref ReadOnlySpan<byte> rest)
    {
        var comma = rest.IndexOf((byte)',');
        ReadOnlySpan<byte> field;
        if (comma < 0)
        {
            field = rest;
            rest = default;
        }
        else
        {
            field = rest[..comma];
            rest = rest[(comma + 1)..];
        }
        return field;
    }

    private static double Number(string file, long row, string field, ReadOnlySpan<byte> text)
    {
        if (!Utf8Fields.TryParseDouble(text, out var value))
            throw new BadInputException(file, row, field, $"'{Utf8Fields.Show(text)}' is not a number");
        if (!double.IsFinite(value))
            throw new BadInputException(file, row, field, $"'{Utf8Fields.Show(text)}' is not a finite number (NaN and infinity are not allowed)");
        return value;
    }

    private static ReadOnlySpan<byte> FirstLine(ReadOnlySpan<byte> data)
    {
        var newline = data.IndexOf((byte)'\n');
        var line = newline < 0 ? data : data[..newline];
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }

    private static Layout Detect(string file, ReadOnlySpan<byte> first, out bool hasHeader)
    {
        if (first.IsEmpty) throw new BadInputException(file, 1, "header", "the file is empty; expected the header timestamp,open,high,low,close,volume");
        var columns = first.Count((byte)',') + 1;
        var startsWithDigit = (uint)(first[0] - '0') <= 9;
        if (columns == 12)
        {
            // Binance klines: no header usually, 'open_time,...' sometimes.
            hasHeader = !startsWithDigit;
            return Layout.Binance;
        }
        hasHeader = true;
        var expected = "timestamp,open,high,low,close,volume"u8;
        if (first.Length == expected.Length && System.Text.Ascii.EqualsIgnoreCase(first, expected)) return Layout.Shared;
        throw new BadInputException(file, 1, "header",
            $"unrecognised layout: expected the header 'timestamp,open,high,low,close,volume' or a 12-column Binance kline row, found '{Utf8Fields.Show(first)}' ({columns} columns)");
    }
}
