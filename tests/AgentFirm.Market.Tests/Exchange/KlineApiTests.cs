using AgentFirm.Core;
using AgentFirm.Market.Exchange;

namespace AgentFirm.Market.Tests.Exchange;

public sealed class KlineApiTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Symbols_map_to_each_exchange()
    {
        var btc = Instrument.Parse("BTC-USDT");
        Assert.Equal("BTCUSDT", new BinanceKlineApi().MarketId(btc));
        Assert.Equal("BTC-USD", new CoinbaseKlineApi().MarketId(btc));
        Assert.Equal("ETH-EUR", new CoinbaseKlineApi().MarketId(Instrument.Parse("ETH-EUR")));
        Assert.Throws<BadInputException>(() => new BinanceKlineApi().MarketId(Instrument.Parse("BTC-USDT-PERP")));
    }

    [Fact]
    public void Page_paths_follow_the_documented_queries()
    {
        var end = Start + TimeSpan.FromHours(1000);
        Assert.Equal("api/v3/klines?symbol=BTCUSDT&interval=1h&startTime=1704067200000&endTime=1707667199999&limit=1000",
            new BinanceKlineApi().PagePath("BTCUSDT", Timeframe.Hour, Start, end));
        Assert.Equal("products/BTC-USD/candles?granularity=3600&start=2024-01-01T00%3A00%3A00Z&end=2024-01-13T11%3A00%3A00Z",
            new CoinbaseKlineApi().PagePath("BTC-USD", Timeframe.Hour, Start, Start + TimeSpan.FromHours(300)));
    }

    [Fact]
    public void Binance_rows_parse_with_string_prices()
    {
        const string body = """[[1704067200000,"42283.58","42554.57","42261.02","42475.23","1271.68108",1704070799999,"53957248.97",47134,"682.57581","28957416.82","0"]]""";
        var bar = Assert.Single(new BinanceKlineApi().ParsePage(body, Timeframe.Hour));
        Assert.Equal(new Bar(Start, TimeSpan.FromHours(1), 42283.58, 42554.57, 42261.02, 42475.23, 1271.68108), bar);
    }

    [Fact]
    public void Coinbase_rows_parse_low_high_open_close()
    {
        const string body = "[[1704070800,42300.1,42600.2,42400.3,42500.4,12.5],[1704067200,42200,42500,42250,42400,10]]";
        var bars = new CoinbaseKlineApi().ParsePage(body, Timeframe.Hour);
        Assert.Equal(new Bar(Start + TimeSpan.FromHours(1), TimeSpan.FromHours(1), 42400.3, 42600.2, 42300.1, 42500.4, 12.5), bars[0]);
        Assert.Equal(Start, bars[1].Time);
    }

    [Theory]
    [InlineData("""[[1704067200000,"42283.58","42554.5""")]
    [InlineData("""{"code":-1003,"msg":"Too much request weight used"}""")]
    [InlineData("""[[1704067200000,"x","1","1","1","1"]]""")]
    [InlineData("""[[1704067200000,"1","1"]]""")]
    [InlineData("")]
    public void Unreadable_bodies_are_payload_errors(string body)
    {
        Assert.Throws<KlinePayloadException>(() => new BinanceKlineApi().ParsePage(body, Timeframe.Hour));
    }

    [Fact]
    public void Exchange_names_parse_case_insensitively_and_nothing_else()
    {
        Assert.True(KlineApis.TryParseExchange("Binance", out var b));
        Assert.Equal(ExchangeName.Binance, b);
        Assert.True(KlineApis.TryParseExchange("coinbase", out var c));
        Assert.Equal(ExchangeName.Coinbase, c);
        Assert.False(KlineApis.TryParseExchange("kraken", out _));
        Assert.False(KlineApis.TryParseExchange("1", out _));
        Assert.False(KlineApis.TryParseExchange("binance,coinbase", out _));
    }

    [Fact]
    public void Backoff_grows_and_is_capped()
    {
        var policy = RetryPolicy.Default with { BaseDelay = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(10) };
        var jitter = new Random(1);
        var delays = Enumerable.Range(1, 8).Select(a => policy.Backoff(a, jitter)).ToArray();
        Assert.InRange(delays[0].TotalSeconds, 0.5, 1);
        Assert.InRange(delays[2].TotalSeconds, 2, 4);
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(10)));
        Assert.InRange(delays[7].TotalSeconds, 5, 10);
    }
}
