using Microsoft.Extensions.Logging;

namespace AgentFirm.Host.Firm;

/// <summary>
/// Log lines of a command-line run on the command's own stderr writer (not the process console), so an
/// in-process run and its tests see them; one line per entry, warnings and above by default.
/// </summary>
public sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum = LogLevel.Warning) : ILoggerProvider
{
    private readonly Lock _gate = new();
    private readonly TextWriter _writer = writer;
    private readonly LogLevel _minimum = minimum;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

    public void Dispose() { }

    /// <summary>A factory whose loggers write to <paramref name="writer"/>.</summary>
    public static ILoggerFactory Factory(TextWriter writer, LogLevel minimum = LogLevel.Warning) =>
        LoggerFactory.Create(b => b.SetMinimumLevel(minimum).AddProvider(new TextWriterLoggerProvider(writer, minimum)));

    private sealed class Logger(TextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider._minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var level = logLevel switch { LogLevel.Warning => "warning", LogLevel.Error => "error", LogLevel.Critical => "critical", _ => logLevel.ToString().ToLowerInvariant() };
            lock (provider._gate) provider._writer.WriteLine($"{level}: {category}: {formatter(state, exception)}");
        }
    }
}
