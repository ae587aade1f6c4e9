namespace AgentFirm.Host.Cli;

/// <summary>
/// Progress on stderr, so stdout stays clean for results: a redrawn bar on a terminal, one line per
/// 10% step when redirected (logs, CI).
/// </summary>
public sealed class ProgressPrinter(TextWriter stderr, string label) : IProgress<double>
{
    private readonly bool _interactive = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
    private int _lastShown = -1;

    public void Report(double fraction)
    {
        var percent = (int)Math.Clamp(fraction * 100, 0, 100);
        if (_interactive)
        {
            if (percent == _lastShown) return;
            _lastShown = percent;
            var filled = percent * 30 / 100;
            stderr.Write($"\r{label} [{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3}%");
            if (percent == 100) stderr.WriteLine();
            return;
        }
        var step = percent / 10 * 10;
        if (step <= _lastShown) return;
        _lastShown = step;
        stderr.WriteLine($"{label}: {step}%");
    }
}
