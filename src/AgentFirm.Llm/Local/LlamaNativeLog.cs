using LLama.Native;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm.Local;

/// <summary>
/// Routes llama.cpp's own log into ours. Without a callback llama.cpp prints hundreds of lines per model load to
/// stderr, and LLamaSharp only accepts the callback before its first native call (later it throws), so every path
/// into the native library goes through <see cref="EnsureInstalled"/> first. Errors reach the current logger as
/// warnings; everything else is debug detail. The last error lines are kept to explain a failed load.
/// </summary>
internal static class LlamaNativeLog
{
    private static readonly Lock Gate = new();
    private static readonly Queue<string> RecentErrors = new();
    private static bool _installed;
    private static ILogger? _logger;

    /// <summary>Installs the callback once per process; <paramref name="logger"/> (if any) receives what follows.</summary>
    public static void EnsureInstalled(ILogger? logger = null)
    {
        lock (Gate)
        {
            if (logger is not null) _logger = logger;
            if (_installed) return;
            try
            {
                NativeLibraryConfig.All.WithLogCallback(OnLog);
            }
            catch (InvalidOperationException)
            {
                // Someone in this process loaded llama.cpp before us: their logging stands, ours cannot be set.
            }
            _installed = true;
        }
    }

    /// <summary>The llama.cpp error lines since the last call, joined (empty when there were none).</summary>
    public static string TakeRecentErrors()
    {
        lock (Gate)
        {
            var text = string.Join(" ", RecentErrors);
            RecentErrors.Clear();
            return text;
        }
    }

    private static void OnLog(LLamaLogLevel level, string message)
    {
        var line = message.TrimEnd();
        if (line.Length == 0) return;
        ILogger? logger;
        lock (Gate)
        {
            if (level == LLamaLogLevel.Error)
            {
                RecentErrors.Enqueue(line);
                while (RecentErrors.Count > 8) RecentErrors.Dequeue();
            }
            logger = _logger;
        }
        if (logger is null) return;
        if (level == LLamaLogLevel.Error) logger.LogWarning("llama.cpp: {Message}", line);
        else logger.LogDebug("llama.cpp: {Message}", line);
    }
}
