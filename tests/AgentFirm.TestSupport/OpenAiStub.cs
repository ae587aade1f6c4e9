using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AgentFirm.TestSupport;

/// <summary>One scripted answer of the stub: an HTTP status, a body and an optional delay before it.</summary>
public sealed record StubReply(int Status, string Body, TimeSpan Delay = default)
{
    /// <summary>A 200 chat completion whose assistant message is <paramref name="content"/>.</summary>
    public static StubReply Completion(string content, TimeSpan delay = default) => new(200, JsonSerializer.Serialize(new
    {
        id = "chatcmpl-stub",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "stub-model",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
    }), delay);

    /// <summary>
    /// The connection closes mid-answer: headers promise a body that never fully arrives (status 0 marks it).
    /// HttpListener cannot drop a socket outright (its Abort answers an empty 200), so the body is cut short.
    /// </summary>
    public static StubReply Drop() => new(0, "");

    public bool Drops => Status == 0;

    public static StubReply Error(int status, string message) =>
        new(status, JsonSerializer.Serialize(new { error = new { message, type = "server_error", code = (string?)null } }));
}

/// <summary>A request the stub received.</summary>
public sealed record StubRequest(string Method, string Path, string Body, string? Authorization)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string MessageContent(string role) =>
        Json.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("role").GetString() == role)
            .GetProperty("content").GetString()!;
}

/// <summary>
/// An OpenAI-compatible chat completions server on 127.0.0.1 (a real HttpListener on a free port) that answers
/// POST /v1/chat/completions with scripted replies, in order, and records what it received.
/// </summary>
public sealed class OpenAiStub : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly Queue<StubReply> _replies = new();
    private Func<StubRequest, StubReply>? _responder;
    private readonly List<StubRequest> _requests = [];

    private OpenAiStub(HttpListener listener, int port)
    {
        _listener = listener;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/v1");
        _loop = Task.Run(ServeAsync);
    }

    /// <summary>The endpoint to configure: http://127.0.0.1:PORT/v1.</summary>
    public Uri BaseUrl { get; }

    public IReadOnlyList<StubRequest> Requests { get { lock (_gate) return _requests.ToArray(); } }

    public static OpenAiStub Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = LoopbackPort.Free();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new OpenAiStub(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // someone took the port between probing and binding
            }
        }
    }

    public OpenAiStub Reply(StubReply reply)
    {
        lock (_gate) _replies.Enqueue(reply);
        return this;
    }

    public OpenAiStub ReplyContent(string content) => Reply(StubReply.Completion(content));

    /// <summary>Answers computed from each request once the scripted replies are used up (a model playing a part).</summary>
    public OpenAiStub RespondWith(Func<StubRequest, StubReply> responder)
    {
        lock (_gate) _responder = responder;
        return this;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            StubReply reply;
            lock (_gate)
            {
                _requests.Add(new StubRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, body,
                    context.Request.Headers["Authorization"]));
                var known = context.Request.HttpMethod == "POST" && context.Request.Url.AbsolutePath == "/v1/chat/completions";
                var request = _requests[^1];
                reply = !known ? StubReply.Error(404, "not found")
                    : _replies.Count > 0 ? _replies.Dequeue()
                    : _responder is not null ? _responder(request)
                    : StubReply.Error(500, "the stub has no scripted reply left");
            }
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);
            if (reply.Drops)
            {
                var partial = Encoding.UTF8.GetBytes("{\"id\":\"chatcmpl-stub\",\"choices\":[");
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = partial.Length + 400;
                await context.Response.OutputStream.WriteAsync(partial, _stop.Token);
                await context.Response.OutputStream.FlushAsync(_stop.Token);
                context.Response.Abort(); // the client sees the connection close before the promised length
                return;
            }
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client gave up (timeout test) or the stub is stopping: nothing to answer.
        }
    }


    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try { await _loop; } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        _stop.Dispose();
    }
}
