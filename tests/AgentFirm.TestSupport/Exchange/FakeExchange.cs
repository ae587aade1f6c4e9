using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentFirm.Core;

namespace AgentFirm.TestSupport.Exchange;

/// <summary>A scripted misbehaviour for one response.</summary>
public sealed record FakeFault(int Status, int? RetryAfterSeconds = null, bool Truncated = false)
{
    public static FakeFault TooManyRequests(int retryAfterSeconds) => new(429, retryAfterSeconds);
    public static FakeFault Banned(int retryAfterSeconds) => new(418, retryAfterSeconds);
    public static FakeFault ServerError { get; } = new(500);
    /// <summary>HTTP 200 with the real page cut off half way, as a dropped proxy connection leaves it.</summary>
    public static FakeFault TruncatedBody { get; } = new(200, Truncated: true);
}

/// <summary>
/// A loopback HTTP server on 127.0.0.1 that answers the two public kline endpoints in their recorded formats:
/// Binance <c>/api/v3/klines</c> (ascending, string prices, ≤1000 rows, inclusive startTime/endTime) and Coinbase
/// <c>/products/{id}/candles</c> (newest first, ≤300 rows, inclusive start/end, 400 when more are asked for).
/// Faults can be scripted per request number or for every request.
/// </summary>
public sealed class FakeExchange : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly object _gate = new();
    private readonly Dictionary<string, (Timeframe Timeframe, Bar[] Bars)> _markets = new(StringComparer.Ordinal);
    private readonly Dictionary<int, FakeFault> _faults = [];
    private readonly List<Uri> _requests = [];
    private FakeFault? _everyRequest;

    private FakeExchange(HttpListener listener, Uri baseUrl)
    {
        _listener = listener;
        BaseUrl = baseUrl;
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    /// <summary>Requests received so far, in order.</summary>
    public IReadOnlyList<Uri> Requests { get { lock (_gate) return _requests.ToArray(); } }

    public static FakeExchange Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var listener = new HttpListener();
            var prefix = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return new FakeExchange(listener, new Uri(prefix));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // the port was taken between probing and binding: try another
            }
        }
    }

    /// <summary>Serves <paramref name="bars"/> (any order, gaps and bad values kept as given) under an exchange market id.</summary>
    public void AddMarket(string marketId, Timeframe timeframe, IEnumerable<Bar> bars)
    {
        lock (_gate) _markets[marketId] = (timeframe, bars.OrderBy(b => b.Time).ToArray());
    }

    /// <summary>Answers the <paramref name="requestNumber"/>-th request (1-based) with <paramref name="fault"/>.</summary>
    public void FailRequest(int requestNumber, FakeFault fault)
    {
        lock (_gate) _faults[requestNumber] = fault;
    }

    /// <summary>Answers every request with <paramref name="fault"/> (null to stop).</summary>
    public void FailEveryRequest(FakeFault? fault)
    {
        lock (_gate) _everyRequest = fault;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try { await _loop; }
        catch (Exception) { /* the loop ends with the listener; its last error does not matter */ }
    }


    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (!_listener.IsListening) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            try { await AnswerAsync(context); }
            catch (Exception) { /* the client went away; keep serving */ }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var url = context.Request.Url!;
        FakeFault? fault;
        lock (_gate)
        {
            _requests.Add(url);
            fault = _faults.GetValueOrDefault(_requests.Count) ?? _everyRequest;
        }
        var (status, body) = Route(url, context.Request.QueryString);
        if (fault is { Truncated: false })
        {
            if (fault.RetryAfterSeconds is { } seconds) context.Response.Headers["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture);
            (status, body) = (fault.Status, $$"""{"code":-1,"msg":"scripted fault {{fault.Status}}"}""");
        }
        else if (fault is { Truncated: true } && status == 200)
        {
            body = body[..(body.Length / 2)];
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private (int Status, string Body) Route(Uri url, System.Collections.Specialized.NameValueCollection query)
    {
        var path = url.AbsolutePath;
        if (path == "/api/v3/klines") return Binance(query);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is ["products", var product, "candles"]) return Coinbase(Uri.UnescapeDataString(product), query);
        return (404, """{"message":"NotFound"}""");
    }

    private (int, string) Binance(System.Collections.Specialized.NameValueCollection query)
    {
        if (!TryMarket(query["symbol"], out var market)) return (400, """{"code":-1121,"msg":"Invalid symbol."}""");
        if (query["interval"] != market.Timeframe.ToString()) return (400, """{"code":-1120,"msg":"Invalid interval."}""");
        if (!long.TryParse(query["startTime"], CultureInfo.InvariantCulture, out var startMs) ||
            !long.TryParse(query["endTime"], CultureInfo.InvariantCulture, out var endMs))
            return (400, """{"code":-1100,"msg":"Illegal characters found in a parameter."}""");
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? l : 500;
        if (limit is < 1 or > 1000) return (400, """{"code":-1130,"msg":"Invalid data sent for a parameter."}""");
        var start = DateTimeOffset.FromUnixTimeMilliseconds(startMs);
        var end = DateTimeOffset.FromUnixTimeMilliseconds(endMs);
        var rows = market.Bars.Where(b => b.Time >= start && b.Time <= end).Take(limit).Select(b =>
            string.Create(CultureInfo.InvariantCulture,
                $"[{b.Time.ToUnixTimeMilliseconds()},\"{N(b.Open)}\",\"{N(b.High)}\",\"{N(b.Low)}\",\"{N(b.Close)}\",\"{N(b.Volume)}\",{b.CloseTime.ToUnixTimeMilliseconds() - 1},\"{N(b.DollarVolume)}\",42,\"0\",\"0\",\"0\"]"));
        return (200, "[" + string.Join(",", rows) + "]");
    }

    private (int, string) Coinbase(string product, System.Collections.Specialized.NameValueCollection query)
    {
        if (!TryMarket(product, out var market)) return (404, """{"message":"NotFound"}""");
        if (query["granularity"] != ((long)market.Timeframe.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture))
            return (400, """{"message":"Unsupported granularity"}""");
        if (!DateTimeOffset.TryParse(query["start"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start) ||
            !DateTimeOffset.TryParse(query["end"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end))
            return (400, """{"message":"Invalid start or end"}""");
        if (end < start) return (400, """{"message":"start must be before end"}""");
        if ((end - start).Ticks / market.Timeframe.Duration.Ticks + 1 > 300)
            return (400, """{"message":"granularity too small for the requested time range. Count of aggregations requested exceeds 300"}""");
        var rows = market.Bars.Where(b => b.Time >= start && b.Time <= end).OrderByDescending(b => b.Time).Select(b =>
            string.Create(CultureInfo.InvariantCulture,
                $"[{b.Time.ToUnixTimeSeconds()},{N(b.Low)},{N(b.High)},{N(b.Open)},{N(b.Close)},{N(b.Volume)}]"));
        return (200, "[" + string.Join(",", rows) + "]");
    }

    private bool TryMarket(string? id, out (Timeframe Timeframe, Bar[] Bars) market)
    {
        lock (_gate) return _markets.TryGetValue(id ?? "", out market);
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A deterministic price path: a seeded random walk with prices and volumes rounded as an exchange quotes them.</summary>
public static class FakePricePath
{
    public static IReadOnlyList<Bar> Generate(DateTimeOffset start, Timeframe timeframe, int count, int seed = 7, double firstPrice = 42000)
    {
        var random = new Random(seed);
        var bars = new List<Bar>(count);
        var close = firstPrice;
        for (var i = 0; i < count; i++)
        {
            var open = close;
            close = Math.Round(open * Math.Exp((random.NextDouble() - 0.5) * 0.02), 2);
            var high = Math.Round(Math.Max(open, close) * (1 + random.NextDouble() * 0.005), 2);
            var low = Math.Round(Math.Min(open, close) * (1 - random.NextDouble() * 0.005), 2);
            var volume = Math.Round(10 + random.NextDouble() * 500, 5);
            bars.Add(new Bar(start + timeframe.Duration * i, timeframe.Duration, open, high, low, close, volume));
        }
        return bars;
    }

    /// <summary>The path without <paramref name="count"/> bars from index <paramref name="first"/>: a gap the exchange never fills.</summary>
    public static IReadOnlyList<Bar> WithGap(IReadOnlyList<Bar> bars, int first, int count) =>
        bars.Where((_, i) => i < first || i >= first + count).ToArray();
}
