using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using AgentFirm.Dashboard.Model;
using AgentFirm.Host.Cli;

namespace AgentFirm.Host.Firm;

/// <summary>
/// The backtests page's launcher: each request runs the CLI verb itself (`backtest` or `evaluate`, parsed and
/// checked by the same code as a typed command) in this process, into a new folder under the reports folder,
/// one at a time. Progress is read from the lines the verb prints on stderr; its summary table is kept.
/// </summary>
public sealed partial class DashboardBacktestLauncher(string reportsFolder, FirmMonitor monitor) : IBacktestLauncher
{
    private readonly Lock _gate = new();
    private readonly List<BacktestLaunch> _launches = [];
    private readonly Dictionary<string, CancellationTokenSource> _cancels = [];
    // The live firm shares the cores; two runs at once would only slow both.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private int _count;

    public event Action? Changed;

    public IReadOnlyList<BacktestLaunch> Launches
    {
        get { lock (_gate) return _launches.ToArray(); }
    }

    public BacktestLaunch Launch(BacktestLaunchRequest request)
    {
        var n = Interlocked.Increment(ref _count);
        var what = request.Kind == LaunchKind.Evaluation ? "evaluate" : $"backtest-{Slug(request.Strategy)}";
        var launch = new BacktestLaunch($"launch-{n}", request, DateTimeOffset.UtcNow, LaunchState.Queued, 0,
            $"{what}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{n}", null, "");
        var cancel = new CancellationTokenSource();
        lock (_gate)
        {
            _launches.Insert(0, launch);
            _cancels[launch.Id] = cancel;
        }
        Changed?.Invoke();
        _ = Task.Run(() => RunAsync(launch, cancel.Token));
        return launch;
    }

    public void Cancel(string launchId)
    {
        lock (_gate)
            if (_cancels.TryGetValue(launchId, out var cancel)) cancel.Cancel();
    }

    public bool Delete(string runId)
    {
        lock (_gate)
            if (_launches.Any(l => l.RunId == runId && !l.Finished)) return false;
        if (!monitor.Backtests.Any(r => r.Id == runId) || FolderOf(runId) is not { } folder) return false;
        Directory.Delete(folder, recursive: true);
        monitor.RescanBacktests();
        Changed?.Invoke();
        return true;
    }

    /// <summary>The run's folder, only if it lies inside the reports folder (ids are folder names, never paths).</summary>
    private string? FolderOf(string runId)
    {
        if (runId.IndexOfAny(['/', '\\']) >= 0 || runId is "." or ".." || !Directory.Exists(reportsFolder)) return null;
        var root = Path.GetFullPath(reportsFolder) + Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(reportsFolder, "report.json", SearchOption.AllDirectories)
            .Select(f => Path.GetFullPath(Path.GetDirectoryName(f)!))
            .FirstOrDefault(d => Path.GetFileName(d) == runId && d.StartsWith(root, StringComparison.Ordinal));
    }

    private async Task RunAsync(BacktestLaunch launch, CancellationToken ct)
    {
        var target = Path.Combine(reportsFolder, launch.RunId);
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        string? lastLine = null;
        var stderr = new LineWriter(line =>
        {
            lastLine = line;
            if (Progress(line) is { } p) Update(launch.Id, l => l with { Progress = Math.Max(l.Progress, p) });
        });
        int code;
        try
        {
            await _oneAtATime.WaitAsync(ct);
            try
            {
                Update(launch.Id, l => l with { State = LaunchState.Running });
                code = await AgentFirmCli.RunAsync([.. launch.Request.Arguments(target)], stdout, stderr, ct);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }
        catch (OperationCanceledException)
        {
            code = ExitCodes.Failure;
        }
        var state = ct.IsCancellationRequested ? LaunchState.Cancelled : code == ExitCodes.Success ? LaunchState.Succeeded : LaunchState.Failed;
        // A run that stopped early leaves a folder without its report; nothing would list it, so it goes.
        if (state != LaunchState.Succeeded && Directory.Exists(target) && !File.Exists(Path.Combine(target, "report.json")) && !File.Exists(Path.Combine(target, "evaluate.json")))
            Directory.Delete(target, recursive: true);
        var message = state switch
        {
            LaunchState.Succeeded => $"written to {RunPaths.Relative(target)} (exit code 0)",
            LaunchState.Cancelled => "cancelled",
            _ => $"exit code {code}: {lastLine ?? "no message"}",
        };
        monitor.RescanBacktests();
        Update(launch.Id, l => l with { State = state, Progress = state == LaunchState.Succeeded ? 1 : l.Progress, Message = message, Output = stdout.ToString() });
        lock (_gate) _cancels.Remove(launch.Id);
    }

    private void Update(string id, Func<BacktestLaunch, BacktestLaunch> change)
    {
        lock (_gate)
        {
            var i = _launches.FindIndex(l => l.Id == id);
            if (i >= 0) _launches[i] = change(_launches[i]);
        }
        Changed?.Invoke();
    }

    /// <summary>
    /// The fraction done, from a line the verbs print: ProgressPrinter's "backtest sma-cross: 40%" (redirected
    /// output, one line per tenth) or evaluate's "evaluate: variant 3 of 12: ..." (two done of twelve).
    /// </summary>
    internal static double? Progress(string line)
    {
        if (PercentLine().Match(line) is { Success: true } percent)
            return int.Parse(percent.Groups[1].Value, CultureInfo.InvariantCulture) / 100.0;
        if (VariantLine().Match(line) is { Success: true } variant)
        {
            var (n, of) = (int.Parse(variant.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(variant.Groups[2].Value, CultureInfo.InvariantCulture));
            return of > 0 ? (n - 1) / (double)of : null;
        }
        return null;
    }

    private static string Slug(string name) =>
        new(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());

    [GeneratedRegex(@"^backtest [^:]+: (\d{1,3})%$")]
    private static partial Regex PercentLine();

    [GeneratedRegex(@"^evaluate: variant (\d+) of (\d+):")]
    private static partial Regex VariantLine();

    /// <summary>Hands each complete line the verb writes to <paramref name="onLine"/>; safe from the verb's parallel writers.</summary>
    private sealed class LineWriter(Action<string> onLine) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            string? done = null;
            lock (_line)
            {
                if (value == '\n')
                {
                    done = _line.ToString().TrimEnd('\r');
                    _line.Clear();
                }
                else _line.Append(value);
            }
            if (done is not null) onLine(done);
        }
    }
}
