using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Quant.OnChain;

/// <summary>
/// Reads on-chain CSV: the shared/simulator schema <c>timestamp,mvrv,exchange_netflow,active_addresses</c> and the
/// column layouts of the public chart exports in ../shared/data/onchain (Coin Metrics-style market cap / realised
/// cap, blockchain.com network charts, Glassnode hourly exports, hash rate, Binance funding and taker flow, Fear
/// &amp; Greed). Columns are found by name (see <see cref="Fields"/> for the accepted names); others are ignored, so
/// a file holding only some metrics loads too. Strict: timestamps are ISO-8601 UTC (yyyy-MM-ddTHH:mm:ssZ) and
/// strictly ascending, values finite and in their domain, every row has the header's field count. An empty cell
/// is a missing value (null). Any violation throws <see cref="BadInputException"/> naming the file, the 1-based
/// row (header = 1) and the field; nothing is returned half-read.
/// </summary>
public static class OnChainCsvLoader
{
    public const string Timestamp = "timestamp", Mvrv = "mvrv", ExchangeNetflow = "exchange_netflow", ActiveAddresses = "active_addresses";
    public const string ExchangeInflow = "exchange_inflow", ExchangeOutflow = "exchange_outflow";

    private enum Domain { Any, Positive, NonNegative, Fraction, Index100 }

    private sealed record Field(string Metric, string[] Names, Domain Domain);

    /// <summary>The metrics read and the column names each is taken from (first name present wins; two present is an error).</summary>
    private static readonly Field[] Fields =
    [
        new("mvrv", [Mvrv], Domain.Positive),
        new("exchange_netflow", [ExchangeNetflow], Domain.Any),
        new("active_addresses", [ActiveAddresses, "unique_addresses"], Domain.NonNegative),
        new("market_cap", ["market_cap_usd", "market_cap"], Domain.Positive),
        new("realised_cap", ["realized_cap_usd", "realised_cap_usd", "realized_cap_usd_derived", "realized_cap"], Domain.Positive),
        new("sopr", ["sopr"], Domain.Positive),
        new("sth_sopr", ["sth_sopr"], Domain.Positive),
        new("stablecoin_supply", ["stablecoin_supply_usd", "usdt_market_cap_usd"], Domain.NonNegative),
        new("hash_rate", ["hash_rate", "hash_rate_ths", "hash_rate_hs"], Domain.NonNegative),
        new("funding_rate", ["funding_rate", "funding_rate_daily_mean"], Domain.Any),
        new("taker_buy_fraction", ["taker_buy_fraction"], Domain.Fraction),
        new("fear_greed", ["fear_greed_value", "fear_greed"], Domain.Index100),
    ];

    /// <summary>Every column name the loader understands, for messages and documentation.</summary>
    public static IReadOnlyList<string> KnownColumns { get; } = Fields.SelectMany(f => f.Names).Concat([ExchangeInflow, ExchangeOutflow]).ToArray();

    /// <param name="period">How long one row covers; values are known at Time + period. Default: the smallest
    /// spacing between consecutive rows (one day for a single-row file), so daily and hourly exports both work.</param>
    public static IReadOnlyList<OnChainObservation> Load(string path, TimeSpan? period = null)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found.");
        using var reader = new StreamReader(path);
        return Parse(reader, path, period);
    }

    public static IReadOnlyList<OnChainObservation> Parse(TextReader reader, string fileName, TimeSpan? period = null)
    {
        if (period is { } given && given <= TimeSpan.Zero) throw new BadInputException($"{fileName}: the period a row covers must be positive, got {given}.");

        var header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new BadInputException(fileName, 1, "header", $"expected a header such as '{Timestamp},{Mvrv},{ExchangeNetflow},{ActiveAddresses}', found an empty file or line");
        var names = header.TrimStart('\uFEFF').Split(',').Select(n => n.Trim()).ToArray();
        int Column(string name)
        {
            var at = Array.IndexOf(names, name);
            if (at >= 0 && Array.IndexOf(names, name, at + 1) >= 0) throw new BadInputException(fileName, 1, name, "column appears twice");
            return at;
        }
        var tCol = Column(Timestamp);
        if (tCol < 0) throw new BadInputException(fileName, 1, Timestamp, $"no '{Timestamp}' column in the header '{header}'");
        var columns = new int[Fields.Length];
        for (var f = 0; f < Fields.Length; f++)
        {
            columns[f] = -1;
            foreach (var name in Fields[f].Names)
            {
                var at = Column(name);
                if (at < 0) continue;
                if (columns[f] >= 0) throw new BadInputException(fileName, 1, name, $"both '{names[columns[f]]}' and '{name}' give {Fields[f].Metric}; keep one");
                columns[f] = at;
            }
        }
        var (inCol, outCol) = (Column(ExchangeInflow), Column(ExchangeOutflow));
        if ((inCol >= 0) != (outCol >= 0)) throw new BadInputException(fileName, 1, inCol >= 0 ? ExchangeOutflow : ExchangeInflow, $"netflow needs both '{ExchangeInflow}' and '{ExchangeOutflow}'");
        if (inCol >= 0 && columns[1] >= 0) throw new BadInputException(fileName, 1, ExchangeNetflow, $"give either '{ExchangeNetflow}' or the in/outflow pair, not both");
        if (columns.All(c => c < 0) && inCol < 0)
            throw new BadInputException(fileName, 1, "header", $"none of the columns the loader knows ({string.Join(", ", KnownColumns)}) is present in '{header}'");

        var times = new List<DateTimeOffset>();
        var values = new List<double?[]>();
        var row = 1L;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            row++;
            if (line.Length == 0)
            {
                if (reader.Peek() < 0) break; // a trailing newline at the end of the file
                throw new BadInputException(fileName, row, Timestamp, "empty row");
            }
            var cells = line.Split(',');
            if (cells.Length != names.Length)
                throw new BadInputException(fileName, row, cells.Length < names.Length ? names[cells.Length] : "row", $"expected {names.Length} fields as in the header, found {cells.Length}");

            var text = cells[tCol];
            if (!DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                throw new BadInputException(fileName, row, Timestamp, $"'{text}' is not an ISO-8601 UTC timestamp (yyyy-MM-ddTHH:mm:ssZ)");
            if (times.Count > 0 && time <= times[^1])
                throw new BadInputException(fileName, row, Timestamp, time == times[^1] ? $"duplicate timestamp {text}" : $"{text} is earlier than the row before ({times[^1]:yyyy-MM-ddTHH:mm:ssZ}); rows must be ascending");

            var v = new double?[Fields.Length];
            for (var f = 0; f < Fields.Length; f++)
                if (columns[f] >= 0) v[f] = Value(cells, columns[f], Fields[f].Domain);
            if (inCol >= 0)
            {
                var (inflow, outflow) = (Value(cells, inCol, Domain.NonNegative), Value(cells, outCol, Domain.NonNegative));
                v[1] = inflow is { } i && outflow is { } o ? i - o : null;
            }
            times.Add(time);
            values.Add(v);
        }

        var span = period ?? SmallestStep(times);
        var rows = new OnChainObservation[times.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var v = values[i];
            rows[i] = new OnChainObservation(times[i], times[i] + span, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
        }
        return rows;

        double? Value(string[] cells, int column, Domain domain)
        {
            var cell = cells[column];
            if (cell.Length == 0) return null; // masked, never filled
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
                throw new BadInputException(fileName, row, names[column], $"'{cell}' is not a finite number");
            var problem = domain switch
            {
                Domain.Positive when x <= 0 => "must be positive",
                Domain.NonNegative when x < 0 => "must be >= 0",
                Domain.Fraction when x is < 0 or > 1 => "must be in [0, 1]",
                Domain.Index100 when x is < 0 or > 100 => "must be in [0, 100]",
                _ => null,
            };
            if (problem is not null) throw new BadInputException(fileName, row, names[column], $"{problem}, got {cell}");
            return x;
        }
    }

    private static TimeSpan SmallestStep(List<DateTimeOffset> times)
    {
        var step = TimeSpan.MaxValue;
        for (var i = 1; i < times.Count; i++)
            if (times[i] - times[i - 1] < step) step = times[i] - times[i - 1];
        return step == TimeSpan.MaxValue ? TimeSpan.FromDays(1) : step;
    }

    /// <summary>
    /// Joins several series of one asset on their period start (e.g. the daily valuation, network and funding files).
    /// A metric present in more than one file at the same time is taken from the earliest file in the list (the
    /// caller states the priority); a merged row is known when the latest of its sources is.
    /// </summary>
    public static IReadOnlyList<OnChainObservation> Merge(params IReadOnlyList<OnChainObservation>[] sources)
    {
        var byTime = new SortedDictionary<DateTimeOffset, OnChainObservation>();
        foreach (var source in sources)
            foreach (var o in source)
                byTime[o.Time] = byTime.TryGetValue(o.Time, out var have)
                    ? new OnChainObservation(o.Time, have.KnownAt > o.KnownAt ? have.KnownAt : o.KnownAt,
                        have.Mvrv ?? o.Mvrv, have.ExchangeNetflow ?? o.ExchangeNetflow, have.ActiveAddresses ?? o.ActiveAddresses,
                        have.MarketCap ?? o.MarketCap, have.RealisedCap ?? o.RealisedCap, have.Sopr ?? o.Sopr, have.SthSopr ?? o.SthSopr,
                        have.StablecoinSupply ?? o.StablecoinSupply, have.HashRate ?? o.HashRate, have.FundingRate ?? o.FundingRate,
                        have.TakerBuyFraction ?? o.TakerBuyFraction, have.FearGreed ?? o.FearGreed)
                    : o;
        // Known-at must not go backwards along the merged series (the analyst requires it); a later-known
        // earlier row delays the rows after it, which only ever makes reading more conservative.
        var rows = byTime.Values.ToArray();
        for (var i = 1; i < rows.Length; i++)
            if (rows[i].KnownAt < rows[i - 1].KnownAt) rows[i] = rows[i] with { KnownAt = rows[i - 1].KnownAt };
        return rows;
    }
}
