using AgentFirm.Agents.Contracts;

namespace AgentFirm.Agents.Firm;

/// <summary>
/// The driver's memory of one firm run on a cluster: every call the firm answered, in order. A firm's grains live
/// on one silo; when it dies they reactivate empty elsewhere, and the meta-controller refuses the next step
/// (<see cref="FirmMemoryLostException"/>). The history is then replayed into the fresh grains from the first step
/// (the ledger skips what it already holds, the risk state starts over) and the step is retried, so the run goes on
/// exactly as if the silo had never died: same decisions, same ledger, event for event.
/// </summary>
public sealed class FirmReplay(IGrainFactory grains, string runId, FirmSetup setup)
{
    private const int MaxAttempts = 8;
    private readonly List<object> _answered = new(); // DecisionInput (a step) or PortfolioState (a guard check)
    private readonly IMetaControllerGrain _meta = grains.GetGrain<IMetaControllerGrain>(runId);
    private readonly IRiskGrain _risk = grains.GetGrain<IRiskGrain>(runId);

    /// <summary>How many times the history was replayed into fresh grains.</summary>
    public int Replays { get; private set; }

    /// <summary>Calls retried after a transient failure (a silo that went away while answering).</summary>
    public int Retries { get; private set; }

    public Task StartAsync(CancellationToken ct) => CallAsync<bool>(null, async () => { await _meta.StartAsync(setup); return true; }, ct);

    public Task<DecisionOutput> DecideAsync(DecisionInput input, CancellationToken ct) => CallAsync(input, () => _meta.DecideAsync(input), ct);

    public Task<GuardAction> GuardAsync(PortfolioState portfolio, CancellationToken ct) => CallAsync(portfolio, () => _risk.GuardAsync(portfolio), ct);

    private async Task<T> CallAsync<T>(object? call, Func<Task<T>> send, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var answer = await send();
                if (call is not null) _answered.Add(call);
                return answer;
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsMemoryLost(ex))
            {
                await ReplayAsync();
            }
            catch (Exception ex) when (attempt < MaxAttempts && FirmStrategy.IsTransient(ex))
            {
                Retries++;
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }

    /// <summary>Everything the firm answered, again, into its fresh grains; the answers were acted on the first time and are dropped.</summary>
    private async Task ReplayAsync()
    {
        Replays++;
        await _meta.StartAsync(setup with { Replay = true });
        foreach (var call in _answered)
        {
            if (call is DecisionInput input) await _meta.DecideAsync(input);
            else await _risk.GuardAsync((PortfolioState)call);
        }
    }

    private static bool IsMemoryLost(Exception ex) => ex is FirmMemoryLostException || ex.InnerException is { } inner && IsMemoryLost(inner);
}
