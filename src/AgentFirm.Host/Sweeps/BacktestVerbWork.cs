using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Grains;
using AgentFirm.Host.Cli;

namespace AgentFirm.Host.Sweeps;

/// <summary>
/// A silo's way of running one sweep run: the `backtest` verb itself, in this process, with the run's settings scoped
/// to it. Because it is the very code a single `agentfirm backtest` runs, a run of a sweep gives that command's result.
/// The report folder is read back into the status (so the driver needs no shared disk with the silo) and deleted.
/// </summary>
public sealed class BacktestVerbWork : ISweepWork
{
    /// <summary>How much of a run's stderr comes back (its last lines: the error, the last progress).</summary>
    private const int ErrorTailLines = 20;

    public async Task<SweepRunStatus> RunAsync(SweepRunSpec spec, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"agentfirm-sweep-run-{Guid.NewGuid():N}");
        var stdout = new StringWriter();
        var errors = new StringWriter();
        var stderr = TextWriter.Synchronized(errors); // progress may be reported from another thread
        try
        {
            int code;
            using (AgentFirmSettings.Override(spec.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))))
                code = await AgentFirmCli.RunAsync(["backtest", .. spec.Arguments, "--out", folder], stdout, stderr, ct);
            var state = ct.IsCancellationRequested ? SweepRunState.Cancelled : code == ExitCodes.Success ? SweepRunState.Completed : SweepRunState.Failed;
            var files = state == SweepRunState.Completed
                ? Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f))
                : new Dictionary<string, string>();
            var tail = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(ErrorTailLines);
            return new SweepRunStatus(state, "", code, stdout.ToString(), string.Join('\n', tail), files, 0);
        }
        finally
        {
            try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
