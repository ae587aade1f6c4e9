using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Market.Exchange;

/// <summary>
/// Coinbase Exchange <c>GET /products/{id}/candles</c>: rows [time_s, low, high, open, close, volume], NEWEST
/// FIRST, at most 300 per response; start and end bound the candle time, inclusive.
/// </summary>
public sealed class CoinbaseKlineApi : IKlineApi
{
    public ExchangeName Exchange => ExchangeName.Coinbase;
    public Uri DefaultBaseUrl { get; } = new("https://api.exchange.coinbase.com/");
    public int MaxBarsPerPage => 300;

    public IReadOnlyList<Timeframe> Timeframes { get; } =
        new[] { 60, 300, 900, 3600, 21600, 86400 }.Select(s => new Timeframe(TimeSpan.FromSeconds(s))).ToArray();

    /// <summary>Coinbase quotes its deep books in USD, so a USDT pair is served by the USD product (BTC-USDT → BTC-USD).</summary>
    public Instrument ServedInstrument(Instrument requested)
    {
        if (requested.IsPerpetual)
            throw new BadInputException($"{requested}: Coinbase Exchange candles have no perpetuals; use a spot symbol (e.g. {requested.BaseCurrency}-USD).");
        return requested.QuoteCurrency == "USDT" ? Instrument.Parse($"{requested.BaseCurrency}-USD") : requested;
    }

    public string MarketId(Instrument requested) => ServedInstrument(requested).Symbol;

    public string PagePath(string marketId, Timeframe timeframe, DateTimeOffset start, DateTimeOffset end)
    {
        var granularity = (long)timeframe.Duration.TotalSeconds;
        // end is inclusive: ask for the last candle that opens before `end`, but never for an end before start
        var last = end - timeframe.Duration < start ? start : end - timeframe.Duration;
        return string.Create(CultureInfo.InvariantCulture,
            $"products/{Uri.EscapeDataString(marketId)}/candles?granularity={granularity}&start={Iso(start)}&end={Iso(last)}");
    }

    // [time_s, low, high, open, close, volume]
    private static readonly KlineColumns Columns = new(TimeInSeconds: true, Open: 3, High: 2, Low: 1, Close: 4, Volume: 5);

    public IReadOnlyList<Bar> ParsePage(string body, Timeframe timeframe) => KlineJson.ParseRows(body, timeframe, Columns);

    private static string Iso(DateTimeOffset time) =>
        Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
