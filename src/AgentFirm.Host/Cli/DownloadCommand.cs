using System.CommandLine;
using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Market.Exchange;

namespace AgentFirm.Host.Cli;

/// <summary>What the verb needs from the outside world; tests stop the clock and skip the waiting.</summary>
internal sealed record DownloadServices
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    /// <summary>Null waits for real.</summary>
    public RetryDelay? Delay { get; init; }
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public static DownloadServices Real { get; } = new();
}

/// <summary>
/// <c>agentfirm download</c>: public klines from Binance or Coinbase into DIR/&lt;timeframe&gt;/&lt;SYMBOL&gt;.csv in the shared
/// schema, continuing existing files. Progress goes to stderr, one summary line per symbol to stdout.
/// </summary>
public static class DownloadCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(stdout, stderr, DownloadServices.Real);

    internal static Command Create(TextWriter stdout, TextWriter stderr, DownloadServices services)
    {
        var exchange = new Option<string>("--exchange") { Description = "binance or coinbase.", Required = true };
        exchange.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "binance", "coinbase");
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols in BASE-QUOTE form, e.g. BTC-USDT,ETH-USDT (Coinbase serves USDT pairs from its USD products).", Required = true };
        var timeframe = new Option<string>("--timeframe") { Description = "Bar interval, e.g. 1m, 15m, 1h, 1d (Coinbase: 1m 5m 15m 1h 6h 1d).", Required = true };
        var from = new Option<string>("--from") { Description = "First bar open time, UTC: 2024-01-01 or 2024-01-01T06:00:00Z.", Required = true };
        var to = new Option<string>("--to") { Description = "End of the range, UTC, exclusive: bars opening before it.", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder; files go to OUT/<timeframe>/<SYMBOL>.csv.", Required = true };
        var baseUrl = new Option<string?>("--base-url") { Description = "API host instead of the exchange's public one (a proxy or a test fake)." };
        var maxAttempts = new Option<int>("--max-attempts") { Description = "Attempts per page before giving up.", DefaultValueFactory = _ => RetryPolicy.Default.MaxAttempts };

        var command = new Command("download", "Download public OHLCV klines (paged, rate-limit aware, resumable) into the shared CSV layout.")
        {
            exchange, symbols, timeframe, from, to, output, baseUrl, maxAttempts,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = DownloadRequest.Parse(
                parse.GetRequiredValue(exchange), parse.GetRequiredValue(symbols), parse.GetRequiredValue(timeframe),
                parse.GetRequiredValue(from), parse.GetRequiredValue(to), parse.GetRequiredValue(output),
                parse.GetValue(baseUrl), parse.GetValue(maxAttempts));
            return await RunAsync(request, services, stdout, stderr, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DownloadRequest request, DownloadServices services, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = services.HttpTimeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("AgentFirm-download/1.0");
        var downloader = new KlineDownloader(request.Api, http, new KlineDownloaderOptions
        {
            BaseUrl = request.BaseUrl,
            Clock = services.Clock,
            Delay = services.Delay,
            Retry = RetryPolicy.Default with { MaxAttempts = request.MaxAttempts },
        });
        var progress = new StderrProgress(stderr, request.Api.Exchange);
        for (var i = 0; i < request.Instruments.Count; i++)
        {
            var instrument = request.Instruments[i];
            SymbolDownloadReport report;
            try
            {
                report = await downloader.DownloadToFileAsync(instrument, request.Timeframe, request.From, request.To, request.OutputDirectory, progress, cancellationToken);
            }
            catch (ExchangeException ex)
            {
                // An expected failure: say what and where, no stack trace; files of earlier symbols stay written.
                await stderr.WriteLineAsync($"error: {instrument}: {ex.Message}");
                var skipped = request.Instruments.Skip(i + 1).ToArray();
                await stderr.WriteLineAsync(skipped.Length == 0
                    ? $"error: {instrument}: nothing written for this symbol."
                    : $"error: {instrument}: nothing written for this symbol; not attempted: {string.Join(", ", skipped.Select(s => s.Symbol))}.");
                return ExitCodes.Failure;
            }
            await stdout.WriteLineAsync(Summary(report, request.Api.Exchange));
        }
        return ExitCodes.Success;
    }

    internal static string Summary(SymbolDownloadReport report, ExchangeName exchange)
    {
        var name = report.Served == report.Requested
            ? report.Requested.Symbol
            : $"{report.Requested} ({exchange.ToString().ToLowerInvariant()} {report.MarketId})";
        var resumed = report.ResumedAfter is { } after ? $", resumed after {CsvFormat.Timestamp(after)}" : "";
        var download = report.Download;
        var gaps = download.Gaps.Count == 0
            ? "gaps: none"
            : $"gaps: {download.Gaps.Count} ({download.MissingBars} missing bars, first missing {CsvFormat.Timestamp(download.Gaps[0].FirstMissing)})";
        return string.Create(CultureInfo.InvariantCulture,
            $"{name}: rows written {report.RowsAppended}, {report.RowsInFile} in {report.Path}{resumed}; {gaps}; retries: {download.Retries}");
    }

    /// <summary>One line per page and per retry on stderr, so stdout keeps only the summaries.</summary>
    private sealed class StderrProgress(TextWriter stderr, ExchangeName exchange) : IDownloadProgress
    {
        public void PageFetched(Instrument instrument, int page, int barsSoFar, DateTimeOffset through) =>
            stderr.WriteLine($"{exchange.ToString().ToLowerInvariant()} {instrument}: page {page}, {barsSoFar} bars through {CsvFormat.Timestamp(through)}");

        public void Retrying(Instrument instrument, RetryNotice notice) =>
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{exchange.ToString().ToLowerInvariant()} {instrument}: attempt {notice.FailedAttempt}/{notice.MaxAttempts} failed ({notice.Reason}); retrying in {notice.Delay.TotalSeconds:0.##} s"));
    }
}

/// <summary>The verb's arguments, checked: anything wrong here is the user's to fix (exit code 2).</summary>
internal sealed record DownloadRequest(
    IKlineApi Api,
    IReadOnlyList<Instrument> Instruments,
    Timeframe Timeframe,
    DateTimeOffset From,
    DateTimeOffset To,
    string OutputDirectory,
    Uri? BaseUrl,
    int MaxAttempts)
{
    public static DownloadRequest Parse(string exchange, string symbols, string timeframe, string from, string to,
        string output, string? baseUrl, int maxAttempts)
    {
        if (!KlineApis.TryParseExchange(exchange, out var name))
            throw new BadInputException($"--exchange '{exchange}' is not known: use binance or coinbase.");
        var api = KlineApis.For(name);

        var instruments = new List<Instrument>();
        foreach (var symbol in symbols.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Instrument.TryParse(symbol, out var instrument))
                throw new BadInputException($"--symbols: '{symbol}' is not BASE-QUOTE (e.g. BTC-USDT).");
            api.MarketId(instrument); // rejects what the exchange cannot serve (perpetuals) before any request
            if (!instruments.Contains(instrument)) instruments.Add(instrument);
        }
        if (instruments.Count == 0) throw new BadInputException("--symbols: give at least one symbol, e.g. BTC-USDT.");

        if (!Timeframe.TryParse(timeframe, out var tf))
            throw new BadInputException($"--timeframe '{timeframe}' is not a timeframe: use e.g. 1m, 1h, 4h, 1d.");
        if (!api.Supports(tf))
            throw new BadInputException($"--timeframe {tf}: {name} has no such klines; use one of {string.Join(", ", api.Timeframes)}.");

        var start = Date("--from", from);
        var end = Date("--to", to);
        if (start >= end)
            throw new BadInputException($"--from {CsvFormat.Timestamp(start)} must be before --to {CsvFormat.Timestamp(end)}.");

        if (string.IsNullOrWhiteSpace(output)) throw new BadInputException("--out: give an output folder.");

        Uri? url = null;
        if (baseUrl is not null &&
            (!Uri.TryCreate(baseUrl, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            throw new BadInputException($"--base-url '{baseUrl}' is not an absolute http(s) URL.");

        if (maxAttempts < 1) throw new BadInputException($"--max-attempts {maxAttempts}: at least 1.");
        return new DownloadRequest(api, instruments, tf, start, end, output, url, maxAttempts);
    }

    /// <summary>A UTC date or date-time; a bare date is midnight UTC whatever the machine's time zone.</summary>
    private static DateTimeOffset Date(string option, string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return time;
        throw new BadInputException($"{option} '{text}' is not a date: use 2024-01-01 or 2024-01-01T06:00:00Z (UTC).");
    }
}
