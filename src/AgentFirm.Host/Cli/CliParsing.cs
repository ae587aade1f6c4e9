using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>Shared parsing of flag values into domain types, failing with messages that name the flag.</summary>
public static class CliParsing
{
    /// <summary>
    /// A UTC instant from "2024-01-31" or an ISO-8601 date-time. With <paramref name="endOfDay"/> a bare
    /// date means the end of that day, so "--to 2024-01-31" includes the bars of the 31st.
    /// </summary>
    public static DateTimeOffset? Time(string? text, string flag, bool endOfDay = false)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddTicks(-1) : start;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        throw new BadInputException($"{flag} '{text}' is not a date (yyyy-MM-dd) or an ISO-8601 time.");
    }

    public static Timeframe Timeframe(string text, string flag = "--timeframe") =>
        Core.Timeframe.TryParse(text, out var tf) ? tf : throw new BadInputException($"{flag} '{text}' is not a timeframe such as 1h, 4h or 1d.");

    public static IReadOnlyList<Instrument> Symbols(string? text, string flag = "--symbols")
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var symbols = new List<Instrument>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Instrument.TryParse(part, out var instrument))
                throw new BadInputException($"{flag}: '{part}' is not a symbol such as BTC-USDT (or BTC-USDT-PERP for a perpetual).");
            if (symbols.Any(s => s.Symbol == instrument.Symbol)) throw new BadInputException($"{flag}: {instrument.Symbol} is listed twice.");
            symbols.Add(instrument);
        }
        return symbols;
    }

    /// <summary>--gaps as typed: fail, carry (mark and carry forward) or skip.</summary>
    public static Market.Data.GapPolicy Gaps(string text, string flag = "--gaps") => text.ToLowerInvariant() switch
    {
        "fail" => Market.Data.GapPolicy.Fail,
        "carry" or "carryforward" or "mark" => Market.Data.GapPolicy.CarryForward,
        "skip" => Market.Data.GapPolicy.Skip,
        _ => throw new BadInputException($"{flag} '{text}' must be fail, carry or skip{Suggest.DidYouMean(text, ["fail", "carry", "skip"])}."),
    };

    /// <summary>The --gaps value that selects <paramref name="policy"/>, for messages and reports in the user's terms.</summary>
    public static string GapsFlagValue(Market.Data.GapPolicy policy) => policy switch
    {
        Market.Data.GapPolicy.Fail => "fail",
        Market.Data.GapPolicy.CarryForward => "carry",
        _ => "skip",
    };

    /// <summary>key=value pairs from repeated --param flags.</summary>
    public static IReadOnlyDictionary<string, string> Parameters(IEnumerable<string>? pairs, string flag = "--param")
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs ?? [])
        foreach (var item in pair.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = item.IndexOf('=');
            if (eq <= 0 || eq == item.Length - 1) throw new BadInputException($"{flag} '{item}' is not key=value.");
            result[item[..eq].Trim()] = item[(eq + 1)..].Trim();
        }
        return result;
    }
}
