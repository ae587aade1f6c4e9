using AgentFirm.Core;
using AgentFirm.Market.Exchange;
using AgentFirm.TestSupport.Exchange;

namespace AgentFirm.Market.Tests.Exchange;

/// <summary>A clock stopped at one instant.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Records the delays a download asked for instead of waiting.</summary>
internal sealed class RecordedDelays
{
    private readonly List<TimeSpan> _delays = [];
    public IReadOnlyList<TimeSpan> Delays => _delays;

    public Task Wait(TimeSpan delay, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _delays.Add(delay);
        return Task.CompletedTask;
    }
}

/// <summary>A fake exchange, a downloader pointed at it, and what the downloader waited.</summary>
internal sealed class ExchangeFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Later = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public ExchangeFixture(ExchangeName exchange, DateTimeOffset? now = null, RetryPolicy? retry = null)
    {
        Fake = FakeExchange.Start();
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        Downloader = new KlineDownloader(KlineApis.For(exchange), Http, new KlineDownloaderOptions
        {
            BaseUrl = Fake.BaseUrl,
            Clock = new FixedClock(now ?? Later),
            Delay = Delays.Wait,
            Retry = retry ?? RetryPolicy.Default,
        });
    }

    public FakeExchange Fake { get; }
    public HttpClient Http { get; }
    public RecordedDelays Delays { get; } = new();
    public KlineDownloader Downloader { get; }

    public static Instrument BtcUsdt => Instrument.Parse("BTC-USDT");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Fake.DisposeAsync();
    }
}
