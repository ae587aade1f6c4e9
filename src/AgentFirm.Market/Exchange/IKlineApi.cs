using AgentFirm.Core;

namespace AgentFirm.Market.Exchange;

/// <summary>The venues whose public klines can be downloaded.</summary>
public enum ExchangeName { Binance, Coinbase }

/// <summary>
/// One exchange's public klines endpoint: the wire format only (market ids, page URLs, page parsing).
/// Paging, retries, validation and files belong to <see cref="KlineDownloader"/>.
/// </summary>
public interface IKlineApi
{
    ExchangeName Exchange { get; }

    /// <summary>The public API host used when no base URL is given.</summary>
    Uri DefaultBaseUrl { get; }

    /// <summary>Most bars one response may hold; the downloader asks for windows of this many bars.</summary>
    int MaxBarsPerPage { get; }

    /// <summary>Timeframes the exchange serves, for error messages.</summary>
    IReadOnlyList<Timeframe> Timeframes { get; }

    /// <summary>The instrument whose prices the exchange actually serves for <paramref name="requested"/>, in our form.</summary>
    Instrument ServedInstrument(Instrument requested);

    /// <summary>The exchange's id for the served instrument (BTCUSDT, BTC-USD).</summary>
    string MarketId(Instrument requested);

    /// <summary>Relative URL (no leading slash) asking for the bars that open in [start, end).</summary>
    string PagePath(string marketId, Timeframe timeframe, DateTimeOffset start, DateTimeOffset end);

    /// <summary>Parses one response body in the exchange's order; throws <see cref="KlinePayloadException"/> on a bad shape.</summary>
    IReadOnlyList<Bar> ParsePage(string body, Timeframe timeframe);
}

public static class KlineApis
{
    public static IKlineApi For(ExchangeName exchange) => exchange switch
    {
        ExchangeName.Binance => new BinanceKlineApi(),
        ExchangeName.Coinbase => new CoinbaseKlineApi(),
        _ => throw new ArgumentOutOfRangeException(nameof(exchange), exchange, null),
    };

    /// <summary>"binance" or "coinbase", any case.</summary>
    public static bool TryParseExchange(string? text, out ExchangeName exchange)
    {
        ExchangeName? parsed = text?.Trim().ToLowerInvariant() switch
        {
            "binance" => ExchangeName.Binance,
            "coinbase" => ExchangeName.Coinbase,
            _ => null,
        };
        exchange = parsed.GetValueOrDefault();
        return parsed.HasValue;
    }

    public static bool Supports(this IKlineApi api, Timeframe timeframe) => api.Timeframes.Contains(timeframe);
}
