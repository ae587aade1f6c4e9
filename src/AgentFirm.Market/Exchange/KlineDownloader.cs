using AgentFirm.Core;
using AgentFirm.Market.Data;

namespace AgentFirm.Market.Exchange;

/// <summary>A run of bars the exchange never returned: the first missing open time and how many are missing.</summary>
public sealed record BarGap(DateTimeOffset FirstMissing, long MissingBars);

/// <summary>Bars downloaded for one instrument, with what happened on the way.</summary>
public sealed record KlineDownload(
    IReadOnlyList<Bar> Bars,
    IReadOnlyList<BarGap> Gaps,
    int Pages,
    int Retries,
    int FormingBarsDropped)
{
    public long MissingBars => Gaps.Sum(g => g.MissingBars);
}

/// <summary>What one symbol's download did to its file.</summary>
public sealed record SymbolDownloadReport(
    Instrument Requested,
    Instrument Served,
    string MarketId,
    string Path,
    DateTimeOffset? ResumedAfter,
    long RowsAppended,
    long RowsInFile,
    KlineDownload Download);

/// <summary>Progress a caller may show: a page arrived, or an attempt failed and will be repeated.</summary>
public interface IDownloadProgress
{
    void PageFetched(Instrument instrument, int page, int barsSoFar, DateTimeOffset through);
    void Retrying(Instrument instrument, RetryNotice notice);
}

/// <summary>Shows nothing.</summary>
public sealed class SilentProgress : IDownloadProgress
{
    public void PageFetched(Instrument instrument, int page, int barsSoFar, DateTimeOffset through) { }
    public void Retrying(Instrument instrument, RetryNotice notice) { }
}

/// <summary>Everything a downloader needs besides the exchange format; tests replace the clock and the delay.</summary>
public sealed record KlineDownloaderOptions
{
    /// <summary>API host; null for the exchange's public one. Tests point it at a loopback fake.</summary>
    public Uri? BaseUrl { get; init; }
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>How to wait between attempts; null waits for real on <see cref="Clock"/>.</summary>
    public RetryDelay? Delay { get; init; }
}

/// <summary>
/// Downloads closed bars for [from, to) page by page: each request asks for one window of at most
/// <see cref="IKlineApi.MaxBarsPerPage"/> bars, so paging works the same for ascending (Binance) and newest-first
/// (Coinbase) answers and survives windows with no bars at all. Pages are validated and sorted; the bar still
/// forming at the clock's now is dropped; holes between returned bars are reported as gaps, never filled.
/// </summary>
public sealed class KlineDownloader
{
    private readonly IKlineApi _api;
    private readonly HttpClient _http;
    private readonly KlineDownloaderOptions _options;
    private readonly Uri _baseUrl;

    public KlineDownloader(IKlineApi api, HttpClient http, KlineDownloaderOptions? options = null)
    {
        _api = api;
        _http = http;
        _options = options ?? new KlineDownloaderOptions();
        var root = (_options.BaseUrl ?? api.DefaultBaseUrl).AbsoluteUri;
        _baseUrl = new Uri(root.EndsWith('/') ? root : root + "/"); // keep any path prefix of the base URL
    }

    public IKlineApi Api => _api;

    /// <summary>Downloads bars opening in [from, to) and, when resuming, after <paramref name="resumeAfter"/>.</summary>
    public async Task<KlineDownload> DownloadAsync(
        Instrument instrument, Timeframe timeframe, DateTimeOffset from, DateTimeOffset to,
        DateTimeOffset? resumeAfter = null, IDownloadProgress? progress = null, CancellationToken cancellationToken = default)
    {
        CheckRange(timeframe, from, to);
        progress ??= new SilentProgress();
        var marketId = _api.MarketId(instrument);
        var source = $"{_api.Exchange} {marketId} {timeframe}";
        var client = new KlinePageClient(_http, _options.Retry, _options.Delay ?? WaitOnClock, _options.Clock);
        var step = timeframe.Duration;
        var now = _options.Clock.GetUtcNow();

        var cursor = resumeAfter is { } last && last + step > from ? last + step : from;
        var end = to < now ? to : now; // nothing opening after now can be closed
        var bars = new List<Bar>();
        var gaps = new List<BarGap>();
        DateTimeOffset? previous = resumeAfter;
        int pages = 0, retries = 0, forming = 0;

        while (cursor < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var windowEnd = WindowEnd(cursor, end, step);
            var uri = new Uri(_baseUrl, _api.PagePath(marketId, timeframe, cursor, windowEnd));
            var fetched = await client.GetAsync(uri, body => _api.ParsePage(body, timeframe),
                notice => progress.Retrying(instrument, notice), cancellationToken);
            retries += fetched.Retries;
            pages++;

            foreach (var bar in KlineValidator.Validate(fetched.Value, source))
            {
                if (bar.Time < cursor || bar.Time >= windowEnd) continue; // outside what we asked for: another page's
                if (bar.CloseTime > now) { forming++; continue; }
                if (previous is { } p && bar.Time > p + step)
                    gaps.Add(new BarGap(p + step, (bar.Time - p).Ticks / step.Ticks - 1));
                bars.Add(bar with { Duration = step });
                previous = bar.Time;
            }
            progress.PageFetched(instrument, pages, bars.Count, windowEnd);
            cursor = windowEnd;
        }
        return new KlineDownload(bars, gaps, pages, retries, forming);
    }

    /// <summary>
    /// Downloads into <paramref name="outputDirectory"/>/&lt;timeframe&gt;/&lt;SYMBOL&gt;.csv, continuing after the file's last
    /// bar when it exists. The file is only touched once the whole range has arrived.
    /// </summary>
    public async Task<SymbolDownloadReport> DownloadToFileAsync(
        Instrument instrument, Timeframe timeframe, DateTimeOffset from, DateTimeOffset to, string outputDirectory,
        IDownloadProgress? progress = null, CancellationToken cancellationToken = default)
    {
        CheckRange(timeframe, from, to);
        var served = _api.ServedInstrument(instrument);
        var file = OhlcvOutputFile.In(outputDirectory, timeframe, served);
        var resumeAfter = file.LastBarTime();
        var download = await DownloadAsync(instrument, timeframe, from, to, resumeAfter, progress, cancellationToken);
        var rows = file.Append(download.Bars);
        return new SymbolDownloadReport(instrument, served, _api.MarketId(instrument), file.Path, resumeAfter,
            download.Bars.Count, rows, download);
    }

    private void CheckRange(Timeframe timeframe, DateTimeOffset from, DateTimeOffset to)
    {
        if (!_api.Supports(timeframe))
            throw new BadInputException($"{_api.Exchange} has no {timeframe} klines; use one of {string.Join(", ", _api.Timeframes)}.");
        if (from >= to)
            throw new BadInputException($"--from {CsvFormat.Timestamp(from)} must be before --to {CsvFormat.Timestamp(to)}.");
    }

    private DateTimeOffset WindowEnd(DateTimeOffset cursor, DateTimeOffset end, TimeSpan step)
    {
        var span = end - cursor;
        var max = step * _api.MaxBarsPerPage;
        return span <= max ? end : cursor + max;
    }

    private Task WaitOnClock(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, _options.Clock, cancellationToken);
}
