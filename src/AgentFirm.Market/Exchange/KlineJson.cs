using AgentFirm.Core;
using System.Globalization;
using System.Text.Json;

namespace AgentFirm.Market.Exchange;

/// <summary>Reading the array-of-arrays kline payloads both exchanges use; every failure is a <see cref="KlinePayloadException"/>.</summary>
internal static class KlineJson
{
    public static JsonDocument Parse(string body)
    {
        try
        {
            var document = JsonDocument.Parse(body);
            var kind = document.RootElement.ValueKind;
            if (kind != JsonValueKind.Array)
            {
                document.Dispose();
                throw new KlinePayloadException($"expected a JSON array, got {kind}: {Excerpt(body)}");
            }
            return document;
        }
        catch (JsonException ex)
        {
            throw new KlinePayloadException($"invalid JSON ({ex.Message}): {Excerpt(body)}", ex);
        }
    }

    /// <summary>
    /// Parses a page that is a JSON array of kline arrays. Exchanges differ only in their columns, so
    /// each passes its map: where the open time (and its unit) and each price and the volume sit.
    /// </summary>
    public static IReadOnlyList<Bar> ParseRows(string body, Timeframe timeframe, KlineColumns columns)
    {
        using var document = Parse(body);
        var bars = new List<Bar>(document.RootElement.GetArrayLength());
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var row = Row(element, index, 6);
            var time = Int64(row, index, 0);
            bars.Add(new Bar(
                columns.TimeInSeconds ? DateTimeOffset.FromUnixTimeSeconds(time) : DateTimeOffset.FromUnixTimeMilliseconds(time),
                timeframe.Duration,
                Open: Number(row, index, columns.Open),
                High: Number(row, index, columns.High),
                Low: Number(row, index, columns.Low),
                Close: Number(row, index, columns.Close),
                Volume: Number(row, index, columns.Volume)));
            index++;
        }
        return bars;
    }

    public static JsonElement Row(JsonElement row, int index, int minLength)
    {
        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < minLength)
            throw new KlinePayloadException($"row {index}: expected an array of at least {minLength} values, got {row.GetRawText()}");
        return row;
    }

    public static long Int64(JsonElement row, int index, int field)
    {
        var value = row[field];
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n)) return n;
        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n)) return n;
        throw new KlinePayloadException($"row {index}, field {field}: expected an integer, got {value.GetRawText()}");
    }

    /// <summary>A number sent as a JSON number (Coinbase) or as a decimal string (Binance).</summary>
    public static double Number(JsonElement row, int index, int field)
    {
        var value = row[field];
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var x)) return x;
        if (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out x)) return x;
        throw new KlinePayloadException($"row {index}, field {field}: expected a number, got {value.GetRawText()}");
    }

    private static string Excerpt(string body) => body.Length <= 120 ? body : body[..120] + "…";
}

/// <summary>Column positions of a kline row after the open time (always column 0).</summary>
internal readonly record struct KlineColumns(bool TimeInSeconds, int Open, int High, int Low, int Close, int Volume);
