using AgentFirm.Core;
using AgentFirm.Market.Exchange;
using AgentFirm.TestSupport.Exchange;
using static AgentFirm.Market.Tests.Exchange.ExchangeFixture;

namespace AgentFirm.Market.Tests.Exchange;

public sealed class KlineDownloaderTests
{
    private static readonly Timeframe H1 = Timeframe.Hour;

    [Fact]
    public async Task Binance_multi_page_download_equals_the_exchange_bars_exactly()
    {
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        var bars = FakePricePath.Generate(Start, H1, 2500);
        x.Fake.AddMarket("BTCUSDT", H1, bars);

        var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 2500);

        Assert.Equal(bars, result.Bars);
        Assert.Equal(3, result.Pages);
        Assert.Equal(3, x.Fake.Requests.Count);
        Assert.Empty(result.Gaps);
        Assert.Equal(0, result.Retries);
        Assert.All(x.Fake.Requests, r => Assert.Contains("symbol=BTCUSDT", r.Query));
    }

    [Fact]
    public async Task Coinbase_newest_first_pages_are_reassembled_ascending()
    {
        await using var x = new ExchangeFixture(ExchangeName.Coinbase);
        var bars = FakePricePath.Generate(Start, H1, 700);
        x.Fake.AddMarket("BTC-USD", H1, bars);

        var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 700);

        Assert.Equal(bars, result.Bars);
        Assert.Equal(3, result.Pages); // 300 + 300 + 100: the fake answers 400 to a window over 300 candles
        Assert.All(x.Fake.Requests, r => Assert.StartsWith("/products/BTC-USD/candles", r.AbsolutePath));
    }

    [Fact]
    public async Task Rate_limit_429_waits_what_Retry_After_asks()
    {
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        var bars = FakePricePath.Generate(Start, H1, 1500);
        x.Fake.AddMarket("BTCUSDT", H1, bars);
        x.Fake.FailRequest(2, FakeFault.TooManyRequests(7));

        var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 1500);

        Assert.Equal(bars, result.Bars);
        Assert.Equal([TimeSpan.FromSeconds(7)], x.Delays.Delays);
        Assert.Equal(1, result.Retries);
    }

    [Fact]
    public async Task Retry_After_beyond_the_cap_is_capped()
    {
        var policy = RetryPolicy.Default with { RetryAfterCap = TimeSpan.FromSeconds(30) };
        await using var x = new ExchangeFixture(ExchangeName.Binance, retry: policy);
        x.Fake.AddMarket("BTCUSDT", H1, FakePricePath.Generate(Start, H1, 10));
        x.Fake.FailRequest(1, FakeFault.Banned(3600));

        var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 10);

        Assert.Equal(10, result.Bars.Count);
        Assert.Equal([TimeSpan.FromSeconds(30)], x.Delays.Delays);
    }

    [Fact]
    public async Task Server_error_and_truncated_json_are_retried_with_deterministic_backoff()
    {
        async Task<(KlineDownload, IReadOnlyList<TimeSpan>)> Run()
        {
            await using var x = new ExchangeFixture(ExchangeName.Binance);
            x.Fake.AddMarket("BTCUSDT", H1, FakePricePath.Generate(Start, H1, 1200));
            x.Fake.FailRequest(1, FakeFault.ServerError);
            x.Fake.FailRequest(3, FakeFault.TruncatedBody);
            var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 1200);
            return (result, x.Delays.Delays);
        }

        var (first, delays) = await Run();
        var (_, again) = await Run();

        Assert.Equal(FakePricePath.Generate(Start, H1, 1200), first.Bars);
        Assert.Equal(2, first.Retries);
        Assert.Equal(2, delays.Count);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)); // base 1 s, jitter [0.5, 1)
        Assert.InRange(delays[1], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)); // first failure of the second page
        Assert.Equal(delays, again); // seeded jitter: the same run waits the same
    }

    [Fact]
    public async Task Persistent_server_errors_give_up_after_max_attempts_and_write_no_file()
    {
        using var folder = new AgentFirm.TestSupport.TempFolder();
        var policy = RetryPolicy.Default with { MaxAttempts = 4 };
        await using var x = new ExchangeFixture(ExchangeName.Binance, retry: policy);
        x.Fake.AddMarket("BTCUSDT", H1, FakePricePath.Generate(Start, H1, 100));
        x.Fake.FailEveryRequest(FakeFault.ServerError);

        var error = await Assert.ThrowsAsync<ExchangeUnavailableException>(() =>
            x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + H1.Duration * 100, folder.Path));

        Assert.Contains("4 times", error.Message);
        Assert.Contains("HTTP 500", error.Message);
        Assert.Equal(4, x.Fake.Requests.Count);
        Assert.Equal(3, x.Delays.Delays.Count);
        Assert.True(x.Delays.Delays[2] > x.Delays.Delays[0]); // exponential
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Rate_limit_without_Retry_After_backs_off()
    {
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        x.Fake.AddMarket("BTCUSDT", H1, FakePricePath.Generate(Start, H1, 10));
        x.Fake.FailRequest(1, new FakeFault(429));

        var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 10);

        Assert.Equal(10, result.Bars.Count);
        var delay = Assert.Single(x.Delays.Delays);
        Assert.InRange(delay, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Cancelling_during_a_back_off_stops_the_download_and_writes_nothing()
    {
        using var folder = new AgentFirm.TestSupport.TempFolder();
        await using var fake = FakeExchange.Start();
        fake.AddMarket("BTCUSDT", H1, FakePricePath.Generate(Start, H1, 10));
        fake.FailEveryRequest(FakeFault.ServerError);
        using var http = new HttpClient();
        using var cancel = new CancellationTokenSource();
        var downloader = new KlineDownloader(new BinanceKlineApi(), http, new KlineDownloaderOptions
        {
            BaseUrl = fake.BaseUrl,
            Clock = new FixedClock(Later),
            Delay = (_, token) => { cancel.Cancel(); token.ThrowIfCancellationRequested(); return Task.CompletedTask; },
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + H1.Duration * 10, folder.Path, cancellationToken: cancel.Token));

        Assert.Single(fake.Requests);
        Assert.Empty(Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        var error = await Assert.ThrowsAsync<ExchangeUnavailableException>(() =>
            x.Downloader.DownloadAsync(Instrument.Parse("NOPE-USDT"), H1, Start, Start + H1.Duration * 10));
        Assert.Contains("Invalid symbol", error.Message);
        Assert.Single(x.Fake.Requests);
        Assert.Empty(x.Delays.Delays);
    }

    [Fact]
    public async Task A_gap_is_reported_and_not_filled_even_across_a_page_boundary()
    {
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        var full = FakePricePath.Generate(Start, H1, 1100);
        var served = FakePricePath.WithGap(full, 998, 5); // 998..1002 straddle the 1000-bar page boundary
        x.Fake.AddMarket("BTCUSDT", H1, served);

        var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 1100);

        Assert.Equal(served, result.Bars);
        var gap = Assert.Single(result.Gaps);
        Assert.Equal(full[998].Time, gap.FirstMissing);
        Assert.Equal(5, gap.MissingBars);
        Assert.Equal(5, result.MissingBars);
    }

    [Fact]
    public async Task The_bar_still_forming_is_dropped()
    {
        var now = Start + TimeSpan.FromHours(10.5);
        await using var x = new ExchangeFixture(ExchangeName.Binance, now: now);
        x.Fake.AddMarket("BTCUSDT", H1, FakePricePath.Generate(Start, H1, 24));

        var result = await x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + TimeSpan.FromDays(1));

        Assert.Equal(10, result.Bars.Count);
        Assert.Equal(1, result.FormingBarsDropped);
        Assert.All(result.Bars, b => Assert.True(b.CloseTime <= now));
    }

    [Theory]
    [InlineData(100.0, 99.0, 101.0, 100.0, "high is below low")]
    [InlineData(-1.0, 101.0, 99.0, 100.0, "positive")]
    [InlineData(102.0, 101.0, 99.0, 100.0, "open is outside")]
    [InlineData(100.0, 101.0, 99.0, double.NaN, "positive and finite")]
    public async Task Insane_bars_from_the_exchange_fail_the_download(double open, double high, double low, double close, string problem)
    {
        // Binance sends prices as strings, so even "NaN" reaches the validator rather than the JSON reader.
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        var bars = FakePricePath.Generate(Start, H1, 10).ToArray();
        bars[4] = bars[4] with { Open = open, High = high, Low = low, Close = close };
        x.Fake.AddMarket("BTCUSDT", H1, bars);

        var error = await Assert.ThrowsAsync<ExchangeDataException>(() =>
            x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start + H1.Duration * 10));

        Assert.Contains(problem, error.Message);
        Assert.Contains("2024-01-01T04:00:00Z", error.Message);
        Assert.Single(x.Fake.Requests); // bad data is not retried: the same request would return it again
    }

    [Fact]
    public async Task A_timeframe_the_exchange_lacks_is_bad_input()
    {
        await using var x = new ExchangeFixture(ExchangeName.Coinbase);
        var error = await Assert.ThrowsAsync<BadInputException>(() =>
            x.Downloader.DownloadAsync(BtcUsdt, Timeframe.FourHours, Start, Start + TimeSpan.FromDays(1)));
        Assert.Contains("6h", error.Message);
        Assert.Empty(x.Fake.Requests);
    }

    [Fact]
    public async Task From_after_to_is_bad_input()
    {
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        await Assert.ThrowsAsync<BadInputException>(() => x.Downloader.DownloadAsync(BtcUsdt, H1, Start, Start - TimeSpan.FromDays(1)));
    }
}
