using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Execution;

/// <summary>
/// The sub-step venue a parent order is worked on. Costs are the backtest's <see cref="CostModel"/>, applied per
/// sub-step: a market child pays half the spread and <c>impact × sqrt(child / sub-step volume)</c>, and no child
/// takes more than <see cref="ParticipationCap"/> of a sub-step's volume.
/// A passive child joins the back of the queue at its price: <see cref="QueueAheadShare"/> of a typical recent
/// sub-step's volume is assumed to rest ahead of it. Bars do not say where inside the range volume traded, so it
/// is spread evenly over [low, high]: the volume that traded strictly through the limit first clears the queue
/// ahead, and only the rest can fill the child. A bar that merely touches the limit trades nothing through it.
/// </summary>
public sealed record VenueModel
{
    public CostModel Costs { get; init; } = new();
    public double ParticipationCap { get; init; } = 0.10;
    public double QueueAheadShare { get; init; } = 0.25;
    /// <summary>Sub-steps of history the typical volume (for the queue) and the algorithms' state look back over.</summary>
    public int RecentSteps { get; init; } = 10;

    /// <summary>
    /// What finishing an unfilled remainder is charged, in bps of it, when algorithms are compared: taking a whole
    /// sub-step's volume (fee, half spread, slippage and the full impact). Without it an algorithm that hardly trades
    /// would look cheap in a market without drift, since its opportunity cost averages zero.
    /// </summary>
    public double CleanupCostBps => Costs.TakerFeeBps + Costs.SpreadBps / 2 + Costs.SlippageBps + Costs.ImpactBps;

    /// <summary>Shortfall against arrival plus the cleanup charge on what did not fill, bps.</summary>
    public double ArrivalWithCleanupBps(ImplementationShortfall s) => s.ArrivalBps + (1 - s.FilledShare) * CleanupCostBps;

    public void Validate()
    {
        Costs.Validate();
        if (!(ParticipationCap > 0) || ParticipationCap > 1) throw new ArgumentException($"Participation cap must be in (0, 1], got {ParticipationCap}.");
        if (!(QueueAheadShare >= 0) || !double.IsFinite(QueueAheadShare)) throw new ArgumentException($"Queue-ahead share must be a finite number >= 0, got {QueueAheadShare}.");
        if (RecentSteps < 1) throw new ArgumentException($"Recent steps must be at least 1, got {RecentSteps}.");
    }
}
