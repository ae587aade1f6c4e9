using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm.Tests;

/// <summary>Collects every log line (message and exception text) so tests can read what would be logged.</summary>
public sealed class LogSink
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => _lines.ToArray();
    public string All => string.Join('\n', _lines.Select(l => l.Text));

    internal void Add(LogLevel level, string text) => _lines.Enqueue((level, text));

    public ILogger<T> For<T>() => new ListLogger<T>(this);

    public ILoggerFactory Factory() => new SinkFactory(this);

    private sealed class SinkFactory(LogSink sink) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger<object>(sink);
        public void AddProvider(ILoggerProvider provider) { }
        public void Dispose() { }
    }
}

public sealed class ListLogger<T>(LogSink sink) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        // The structured values too, in case a template hides a value the formatter would not show.
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}"))
            : "";
        sink.Add(logLevel, $"{formatter(state, exception)} | {values} | {exception}");
    }
}
