using System.Collections.Concurrent;
using System.Diagnostics;
using AgentFirm.Agents.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;

namespace AgentFirm.Agents.Grains;

/// <summary>What a silo does with one sweep run; the host supplies it (it runs the backtest verb in process).</summary>
public interface ISweepWork
{
    Task<SweepRunStatus> RunAsync(SweepRunSpec spec, CancellationToken ct);
}

/// <summary>
/// The silo's side of a sweep's back-pressure: at most <see cref="SweepRunSpec.PerSilo"/> runs of one sweep run on this
/// silo at a time, however unevenly placement spread the work grains; the others wait here, queued.
/// </summary>
public sealed class SweepSlots
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _bySweep = new();

    public SemaphoreSlim For(SweepRunSpec spec) => _bySweep.GetOrAdd(spec.Sweep, _ => new SemaphoreSlim(Math.Max(1, spec.PerSilo)));
}

/// <summary>
/// Runs one backtest of a sweep. Placed where the driver's placement hint says (the silo with the fewest of the sweep's
/// runs; random placement is the director that honours the hint, and its fallback without one).
/// The backtest runs on the thread pool, off the grain's scheduler; the grain only hands out its status. Reentrant, so
/// a cancel or a poll never waits behind another poll. State lives in memory only: when the silo dies the run is gone,
/// the fresh activation answers <see cref="SweepRunState.Unknown"/> and the driver starts the run again (a backtest is
/// deterministic, so the repeat gives the same result).
/// </summary>
[RandomPlacement]
[Reentrant]
public sealed class SweepRunGrain(IServiceProvider services, ILocalSiloDetails silo) : Grain, ISweepRunGrain
{
    private readonly CancellationTokenSource _cancel = new();
    private Task<SweepRunStatus>? _work;
    private volatile bool _running;

    private string Silo => silo.SiloAddress.Endpoint.ToString();

    public Task<SweepRunStatus> StartAsync(SweepRunSpec spec)
    {
        if (_work is null)
        {
            var work = services.GetService<ISweepWork>()
                ?? throw new InvalidOperationException("This silo cannot run sweeps: its host registered no ISweepWork (start silos with `agentfirm silo`).");
            var slots = services.GetRequiredService<SweepSlots>().For(spec);
            _work = Task.Run(() => RunAsync(work, slots, spec));
        }
        return Task.FromResult(Current());
    }

    public async Task<SweepRunStatus> WaitAsync(TimeSpan atMost)
    {
        if (_work is { IsCompleted: false } work) await Task.WhenAny(work, Task.Delay(atMost));
        var status = Current();
        if (status.Finished) DeactivateOnIdle(); // the driver has what it needs; a repeat poll starts a fresh activation that knows nothing
        return status;
    }

    public Task CancelAsync()
    {
        _cancel.Cancel();
        return Task.CompletedTask;
    }

    private SweepRunStatus Current() => _work switch
    {
        null => SweepRunStatus.Pending(SweepRunState.Unknown, Silo),
        { IsCompletedSuccessfully: true } done => done.Result with { Silo = Silo },
        { IsCompleted: true } broken => new SweepRunStatus(SweepRunState.Failed, Silo, 1, "", broken.Exception?.GetBaseException().Message ?? "cancelled", [], 0),
        _ => SweepRunStatus.Pending(_running ? SweepRunState.Running : SweepRunState.Queued, Silo),
    };

    private async Task<SweepRunStatus> RunAsync(ISweepWork work, SemaphoreSlim slots, SweepRunSpec spec)
    {
        try
        {
            await slots.WaitAsync(_cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return SweepRunStatus.Pending(SweepRunState.Cancelled, Silo);
        }
        _running = true;
        var clock = Stopwatch.StartNew();
        try
        {
            var status = await work.RunAsync(spec, _cancel.Token);
            return status with { Seconds = clock.Elapsed.TotalSeconds };
        }
        finally
        {
            slots.Release();
        }
    }
}
