using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Market.Exchange;

/// <summary>
/// Binance spot <c>GET /api/v3/klines</c>: rows [openTimeMs, "open", "high", "low", "close", "volume", closeTimeMs, …],
/// ascending, at most 1000 per response; startTime and endTime both bound the open time, inclusive.
/// </summary>
public sealed class BinanceKlineApi : IKlineApi
{
    private static readonly string[] Intervals = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w"];

    public ExchangeName Exchange => ExchangeName.Binance;
    public Uri DefaultBaseUrl { get; } = new("https://api.binance.com/");
    public int MaxBarsPerPage => 1000;
    public IReadOnlyList<Timeframe> Timeframes { get; } = Intervals.Select(Timeframe.Parse).ToArray();

    public Instrument ServedInstrument(Instrument requested) => requested;

    /// <summary>BTC-USDT → BTCUSDT.</summary>
    public string MarketId(Instrument requested)
    {
        if (requested.IsPerpetual)
            throw new BadInputException($"{requested}: Binance spot klines have no perpetuals; use the spot symbol (e.g. {requested.BaseCurrency}-{requested.QuoteCurrency}).");
        return requested.BaseCurrency + requested.QuoteCurrency;
    }

    public string PagePath(string marketId, Timeframe timeframe, DateTimeOffset start, DateTimeOffset end)
    {
        var first = start.ToUnixTimeMilliseconds();
        var last = end.ToUnixTimeMilliseconds() - 1; // endTime is inclusive
        return string.Create(CultureInfo.InvariantCulture,
            $"api/v3/klines?symbol={Uri.EscapeDataString(marketId)}&interval={timeframe}&startTime={first}&endTime={last}&limit={MaxBarsPerPage}");
    }

    // [openTimeMs, "open", "high", "low", "close", "volume", closeTimeMs, ...]
    private static readonly KlineColumns Columns = new(TimeInSeconds: false, Open: 1, High: 2, Low: 3, Close: 4, Volume: 5);

    public IReadOnlyList<Bar> ParsePage(string body, Timeframe timeframe) => KlineJson.ParseRows(body, timeframe, Columns);
}
