using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Quant.OnChain;

/// <summary>
/// Reads on-chain CSV in the shared/simulator schema <c>timestamp,mvrv,exchange_netflow,active_addresses</c>.
/// Columns are found by name, so files holding only some metrics (e.g. ../shared/data/onchain/btc_mvrv_marketcap.csv)
/// load too; other columns are ignored. Strict: timestamps are ISO-8601 UTC (yyyy-MM-ddTHH:mm:ssZ) and strictly
/// ascending, values finite (MVRV positive, active addresses non-negative), every row has the header's field
/// count. An empty cell is a missing value (null). Any violation throws <see cref="BadInputException"/> naming
/// the file, the 1-based row (header = 1) and the field; nothing is returned half-read.
/// </summary>
public static class OnChainCsvLoader
{
    public const string Timestamp = "timestamp", Mvrv = "mvrv", ExchangeNetflow = "exchange_netflow", ActiveAddresses = "active_addresses";

    /// <param name="period">How long one row covers; values are known at Time + period (default one day).</param>
    public static IReadOnlyList<OnChainObservation> Load(string path, TimeSpan? period = null)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found.");
        using var reader = new StreamReader(path);
        return Parse(reader, path, period);
    }

    public static IReadOnlyList<OnChainObservation> Parse(TextReader reader, string fileName, TimeSpan? period = null)
    {
        var span = period ?? TimeSpan.FromDays(1);
        if (span <= TimeSpan.Zero) throw new BadInputException($"{fileName}: the period a row covers must be positive, got {span}.");

        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new BadInputException(fileName, 1, "header", $"expected a header such as '{Timestamp},{Mvrv},{ExchangeNetflow},{ActiveAddresses}', found an empty file or line");
        var names = header.TrimStart('\uFEFF').Split(',').Select(n => n.Trim()).ToArray();
        int Column(string name)
        {
            var at = Array.IndexOf(names, name);
            if (at >= 0 && Array.IndexOf(names, name, at + 1) >= 0) throw new BadInputException(fileName, 1, name, "column appears twice");
            return at;
        }
        var (tCol, mCol, nCol, aCol) = (Column(Timestamp), Column(Mvrv), Column(ExchangeNetflow), Column(ActiveAddresses));
        if (tCol < 0) throw new BadInputException(fileName, 1, Timestamp, $"no '{Timestamp}' column in the header '{header}'");
        if (mCol < 0 && nCol < 0 && aCol < 0)
            throw new BadInputException(fileName, 1, "header", $"none of the columns {Mvrv}, {ExchangeNetflow}, {ActiveAddresses} is present in '{header}'");

        var rows = new List<OnChainObservation>();
        var row = 1L;
        DateTimeOffset? previous = null;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            row++;
            if (line.Length == 0)
            {
                if (reader.Peek() < 0) break; // a trailing newline at the end of the file
                throw new BadInputException(fileName, row, Timestamp, "empty row");
            }
            var fields = line.Split(',');
            if (fields.Length != names.Length)
                throw new BadInputException(fileName, row, fields.Length < names.Length ? names[fields.Length] : "row", $"expected {names.Length} fields as in the header, found {fields.Length}");

            var text = fields[tCol];
            if (!DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                throw new BadInputException(fileName, row, Timestamp, $"'{text}' is not an ISO-8601 UTC timestamp (yyyy-MM-ddTHH:mm:ssZ)");
            if (previous is { } p && time <= p)
                throw new BadInputException(fileName, row, Timestamp, time == p ? $"duplicate timestamp {text}" : $"{text} is earlier than the row before ({p:yyyy-MM-ddTHH:mm:ssZ}); rows must be ascending");
            previous = time;

            var mvrv = Value(fields, mCol, Mvrv);
            if (mvrv is <= 0) throw new BadInputException(fileName, row, Mvrv, $"MVRV must be positive, got {fields[mCol]}");
            var netflow = Value(fields, nCol, ExchangeNetflow);
            var active = Value(fields, aCol, ActiveAddresses);
            if (active is < 0) throw new BadInputException(fileName, row, ActiveAddresses, $"active addresses must be >= 0, got {fields[aCol]}");
            rows.Add(new OnChainObservation(time, time + span, mvrv, netflow, active));
        }
        return rows;

        double? Value(string[] fields, int column, string name)
        {
            if (column < 0) return null;
            var cell = fields[column];
            if (cell.Length == 0) return null; // masked, never filled
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new BadInputException(fileName, row, name, $"'{cell}' is not a finite number");
            return v;
        }
    }
}
