using Orleans.Concurrency;

namespace AgentFirm.Agents.Contracts;

/// <summary>
/// One run of a distributed sweep as the silo executes it: the arguments of a single `agentfirm backtest` (without
/// --out) and the AgentFirm:* settings that win over the silo's file and environment for this run only.
/// </summary>
/// <param name="Sweep">The sweep's id: runs of one sweep share a per-silo bound on how many run at once.</param>
/// <param name="PerSilo">How many runs of this sweep one silo runs at a time; the rest wait in the silo's queue.</param>
[GenerateSerializer, Immutable]
public sealed record SweepRunSpec(
    [property: Id(0)] string Sweep,
    [property: Id(1)] string[] Arguments,
    [property: Id(2)] KeyValuePair<string, string>[] Settings,
    [property: Id(3)] int PerSilo);

public enum SweepRunState
{
    /// <summary>The activation holds no run: never started here, or its silo died and the grain was activated afresh.</summary>
    Unknown,
    /// <summary>Waiting for one of the silo's slots for this sweep.</summary>
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>
/// Where a run stands. A finished run carries its report files (name to text), its stdout (the summary table) and the
/// tail of its stderr; a failed one its exit code (2 = bad input, 1 = anything else) and the error line.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SweepRunStatus(
    [property: Id(0)] SweepRunState State,
    [property: Id(1)] string Silo,
    [property: Id(2)] int ExitCode,
    [property: Id(3)] string Output,
    [property: Id(4)] string Errors,
    [property: Id(5)] Dictionary<string, string> Files,
    [property: Id(6)] double Seconds)
{
    public bool Finished => State is SweepRunState.Completed or SweepRunState.Failed or SweepRunState.Cancelled;

    public static SweepRunStatus Pending(SweepRunState state, string silo) => new(state, silo, 0, "", "", [], 0);
}

/// <summary>
/// A work grain: runs one backtest of a sweep on whichever silo it was placed on. Start is idempotent (a second call
/// while a run is under way or done returns its status); callers long-poll <see cref="WaitAsync"/>, so no call lasts
/// longer than the messaging timeout however long the backtest takes.
/// </summary>
public interface ISweepRunGrain : IGrainWithStringKey
{
    Task<SweepRunStatus> StartAsync(SweepRunSpec spec);

    /// <summary>The run's status once it finishes or after <paramref name="atMost"/>, whichever comes first.</summary>
    Task<SweepRunStatus> WaitAsync(TimeSpan atMost);

    Task CancelAsync();
}
