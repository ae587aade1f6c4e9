using System.Net;

namespace AgentFirm.Market.Exchange;

/// <summary>Why an attempt is being repeated, and how long the client waits first.</summary>
public sealed record RetryNotice(Uri Uri, int FailedAttempt, int MaxAttempts, TimeSpan Delay, string Reason);

/// <summary>A page and how many retries it took.</summary>
public readonly record struct FetchedPage<T>(T Value, int Retries);

/// <summary>
/// GETs one page and parses it, retrying what is worth retrying: 429/418 after Retry-After (capped), 5xx,
/// timeouts, dropped connections and unparseable bodies with seeded exponential back-off. Other 4xx answers
/// mean the request itself is wrong and fail at once. One instance per download keeps the jitter sequence
/// deterministic for that download.
/// </summary>
public sealed class KlinePageClient
{
    private readonly HttpClient _http;
    private readonly RetryPolicy _policy;
    private readonly RetryDelay _delay;
    private readonly TimeProvider _clock;
    private readonly Random _jitter;

    public KlinePageClient(HttpClient http, RetryPolicy policy, RetryDelay delay, TimeProvider clock)
    {
        policy.Validate();
        _http = http;
        _policy = policy;
        _delay = delay;
        _clock = clock;
        _jitter = new Random(policy.Seed);
    }

    public async Task<FetchedPage<T>> GetAsync<T>(Uri uri, Func<string, T> parse, Action<RetryNotice>? onRetry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TryOnceAsync(uri, parse, cancellationToken);
            if (outcome.Failure is null) return new FetchedPage<T>(outcome.Value!, attempt - 1);
            if (attempt >= _policy.MaxAttempts)
                throw new ExchangeUnavailableException($"GET {uri} failed {attempt} times; giving up. Last error: {outcome.Failure}");
            var wait = outcome.RetryAfter is { } asked ? _policy.ClampRetryAfter(asked) : _policy.Backoff(attempt, _jitter);
            onRetry?.Invoke(new RetryNotice(uri, attempt, _policy.MaxAttempts, wait, outcome.Failure));
            await _delay(wait, cancellationToken);
        }
    }

    /// <summary>One attempt: the parsed value, or why it failed (worth retrying) and any Retry-After the exchange sent.</summary>
    private async Task<Attempt<T>> TryOnceAsync<T>(Uri uri, Func<string, T> parse, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                try
                {
                    return Attempt<T>.Succeeded(parse(body));
                }
                catch (KlinePayloadException ex)
                {
                    return Attempt<T>.Failed($"unreadable response body: {ex.Message}");
                }
            }
            if (status is 429 or 418) // 418: Binance's IP ban after ignoring 429s; both carry Retry-After
                return Attempt<T>.Failed($"HTTP {status} {response.ReasonPhrase} (rate limited)", RetryAfter(response));
            if (status >= 500)
                return Attempt<T>.Failed($"HTTP {status} {response.ReasonPhrase}");
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new ExchangeUnavailableException(
                $"GET {uri} was refused: HTTP {status} {response.ReasonPhrase}: {(text.Length > 300 ? text[..300] + "…" : text)}");
        }
        catch (HttpRequestException ex)
        {
            return Attempt<T>.Failed($"connection failed: {ex.Message}");
        }
        catch (IOException ex)
        {
            return Attempt<T>.Failed($"connection dropped: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt<T>.Failed($"no answer within {_http.Timeout.TotalSeconds:0.#} s");
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - _clock.GetUtcNow();
        return null;
    }

    private readonly record struct Attempt<T>(T? Value, string? Failure, TimeSpan? RetryAfter)
    {
        public static Attempt<T> Succeeded(T value) => new(value, null, null);
        public static Attempt<T> Failed(string reason, TimeSpan? retryAfter = null) => new(default, reason, retryAfter);
    }
}
