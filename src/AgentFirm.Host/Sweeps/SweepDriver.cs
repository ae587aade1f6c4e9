using System.Diagnostics;
using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using Orleans.Runtime.Placement;

namespace AgentFirm.Host.Sweeps;

/// <summary>A finished run as the driver hands it on: the run, its final status and how often it had to be started again.</summary>
public sealed record SweepRunResult(SweepRun Run, SweepRunStatus Status, int Restarts);

/// <summary>
/// Fans a sweep's runs out as work grains (<see cref="ISweepRunGrain"/>) over the silos of a cluster (or the one local
/// silo) with back-pressure: each run is placed (an Orleans placement hint) on the live silo with the fewest of this
/// sweep's runs, and at most <see cref="PerSilo"/> runs per live silo are in flight. The silos are read again as runs
/// finish, so a silo that joins takes work and one that dies stops being counted; each silo also holds its own bound
/// (<see cref="AgentFirm.Agents.Grains.SweepSlots"/>). A run whose silo died, or whose call failed on the way, is started
/// again on a live silo. Cancelling the token cancels the runs in flight and throws.
/// </summary>
public sealed class SweepDriver(IGrainFactory grains, int perSilo, TextWriter progress)
{
    private readonly Dictionary<SiloAddress, int> _load = [];
    private SiloAddress[] _silos = [];

    /// <summary>How long one poll of a run may wait before it reports back (well inside the messaging timeout).</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    public int PerSilo { get; } = perSilo;

    /// <summary>Runs every run not skipped; <paramref name="finished"/> is called as each finishes (in completion order), from one task at a time.</summary>
    public async Task RunAsync(IReadOnlyList<SweepRun> runs, int alreadyDone, int total, Func<SweepRunResult, Task> finished, CancellationToken ct)
    {
        // A fresh key per invocation: activations left from an earlier, cancelled attempt never answer for this one.
        var invocation = Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();
        var pending = new Queue<SweepRun>(runs);
        var inFlight = new Dictionary<Task<SweepRunResult>, SweepRun>();
        var done = alreadyDone;
        var failed = 0;
        var silos = await RefreshSilosAsync();
        await progress.WriteLineAsync($"sweep: {total} run(s), {alreadyDone} already done; up to {PerSilo} per silo on {silos} silo(s)");
        try
        {
            while (pending.Count > 0 || inFlight.Count > 0)
            {
                while (pending.Count > 0 && inFlight.Count < PerSilo * silos)
                {
                    var run = pending.Dequeue();
                    inFlight[RunOneAsync(invocation, run, ct)] = run;
                }
                var next = await Task.WhenAny(inFlight.Keys);
                inFlight.Remove(next);
                var result = await next;
                // a run that fell over because the sweep is being stopped (Ctrl+C reaches the runs too) is not a result
                if (result.Status.State != SweepRunState.Completed) ct.ThrowIfCancellationRequested();
                done++;
                if (result.Status.State != SweepRunState.Completed) failed++;
                await finished(result);
                silos = await RefreshSilosAsync();
                var left = total - done;
                var perRun = clock.Elapsed / Math.Max(1, done - alreadyDone);
                await progress.WriteLineAsync($"sweep: {done}/{total} done ({failed} failed), {inFlight.Count} in flight on {silos} silo(s), {clock.Elapsed:hh\\:mm\\:ss} elapsed"
                    + (left > 0 ? $", about {TimeSpan.FromSeconds(Math.Round(perRun.TotalSeconds * left)):hh\\:mm\\:ss} left" : "")
                    + $"; {result.Run.Key}: {Describe(result)}");
            }
        }
        catch (OperationCanceledException)
        {
            await CancelAllAsync(invocation, inFlight.Values);
            throw;
        }
    }

    private static string Describe(SweepRunResult result) => result.Status.State switch
    {
        SweepRunState.Completed => $"completed on {result.Status.Silo} in {result.Status.Seconds:0.0} s{(result.Restarts > 0 ? $" after {result.Restarts} restart(s)" : "")}",
        var state => $"{state.ToString().ToLowerInvariant()} (exit {result.Status.ExitCode}): {LastLine(result.Status.Errors)}",
    };

    public static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    private async Task<SweepRunResult> RunOneAsync(string invocation, SweepRun run, CancellationToken ct)
    {
        var grain = grains.GetGrain<ISweepRunGrain>($"{invocation}/{run.Key}");
        var spec = new SweepRunSpec(invocation, [.. run.Arguments], [.. run.Settings], PerSilo);
        var restarts = 0;
        var started = false;
        var silo = Place();
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    var status = await StartOnAsync(grain, spec, silo).WaitAsync(ct);
                    if (started) restarts++;
                    started = true;
                    while (!status.Finished)
                    {
                        if (status.State == SweepRunState.Unknown)
                        {
                            // a fresh activation: the silo that ran it died; start it again on a live one
                            restarts++;
                            silo = Replace(silo);
                            status = await StartOnAsync(grain, spec, silo).WaitAsync(ct);
                            continue;
                        }
                        status = await grain.WaitAsync(Poll).WaitAsync(ct);
                    }
                    return new SweepRunResult(run, status, restarts);
                }
                catch (Exception ex) when (FirmStrategy.IsTransient(ex) && !ct.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), ct);
                    await RefreshSilosAsync();
                    silo = Replace(silo);
                }
            }
        }
        finally
        {
            Release(silo);
        }
    }

    /// <summary>Starts (or asks after) the run, placing a new activation on <paramref name="silo"/>.</summary>
    private static Task<SweepRunStatus> StartOnAsync(ISweepRunGrain grain, SweepRunSpec spec, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try { return grain.StartAsync(spec); }
        finally { RequestContext.Remove(IPlacementDirector.PlacementHintKey); }
    }

    /// <summary>The live silo with the fewest of this sweep's runs (ties: the first listed), now holding one more.</summary>
    private SiloAddress Place()
    {
        lock (_load)
        {
            var silo = _silos.MinBy(s => _load.GetValueOrDefault(s))!;
            _load[silo] = _load.GetValueOrDefault(silo) + 1;
            return silo;
        }
    }

    private void Release(SiloAddress silo)
    {
        lock (_load) _load[silo] = _load.GetValueOrDefault(silo) - 1;
    }

    private SiloAddress Replace(SiloAddress silo)
    {
        Release(silo);
        return Place();
    }

    private async Task CancelAllAsync(string invocation, IEnumerable<SweepRun> runs)
    {
        // Best effort and quick: Ctrl+C gives the process a couple of seconds before it is ended.
        var cancels = runs.Select(r => grains.GetGrain<ISweepRunGrain>($"{invocation}/{r.Key}").CancelAsync().WaitAsync(TimeSpan.FromSeconds(1)));
        try { await Task.WhenAll(cancels); }
        catch (Exception ex) when (ex is TimeoutException || FirmStrategy.IsTransient(ex)) { }
    }

    /// <summary>Reads the live silos again; returns how many there are.</summary>
    private async Task<int> RefreshSilosAsync()
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        if (hosts.Count == 0) throw new InvalidOperationException("The cluster has no live silo to run the sweep on.");
        var live = hosts.Keys.OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        lock (_load) _silos = live;
        return live.Length;
    }
}
