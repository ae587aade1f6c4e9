namespace AgentFirm.Quant.Execution;

/// <summary>The whole order at once: crosses the spread every step until done (still capped by participation).</summary>
public sealed class MarketNow : IExecutionAlgorithm
{
    public string Name => "market";
    public void Begin(ParentStart start) { }
    public ChildOrder Next(in ExecutionState state) => ChildOrder.Market(state.Remaining);
}

/// <summary>
/// Trades toward a cumulative target: after step k the filled share should be <c>target[k]</c>. Each step sends
/// a market child for the gap, so what the participation cap held back is caught up on the next step.
/// The last step's target is 1: nothing is left to chance at the horizon.
/// </summary>
public abstract class ScheduledAlgorithm : IExecutionAlgorithm
{
    private double[] _target = [];

    public abstract string Name { get; }

    /// <summary>Cumulative share of the parent to have filled after each step (ascending, ends at 1).</summary>
    public IReadOnlyList<double> Target => _target;

    public void Begin(ParentStart start)
    {
        var weights = Weights(start);
        var total = weights.Sum();
        _target = new double[weights.Length];
        double sum = 0;
        for (var k = 0; k < weights.Length; k++)
        {
            sum += weights[k];
            _target[k] = total > 0 ? sum / total : (k + 1.0) / weights.Length;
        }
        if (_target.Length > 0) _target[^1] = 1;
    }

    /// <summary>Relative weight of each step of the parent.</summary>
    protected abstract double[] Weights(ParentStart start);

    public ChildOrder Next(in ExecutionState state) =>
        ChildOrder.Market(_target[state.Step] * state.ParentQuantity - state.Filled);
}

/// <summary>Time-weighted: the same share every step.</summary>
public sealed class Twap : ScheduledAlgorithm
{
    public override string Name => "twap";
    protected override double[] Weights(ParentStart start) => Enumerable.Repeat(1.0, start.StepTimes.Count).ToArray();
}

/// <summary>
/// Volume-weighted: each step's share follows the intraday volume profile learned from the days before the
/// decision's day (<see cref="IntradayVolumeProfile"/>), so the order trades more when the market usually does.
/// </summary>
public sealed class Vwap(int lookbackDays = 20) : ScheduledAlgorithm
{
    public override string Name => "vwap";
    /// <summary>The profile of the last parent (for reports: whether it had history or fell back to TWAP).</summary>
    public IntradayVolumeProfile? Profile { get; private set; }

    protected override double[] Weights(ParentStart start)
    {
        var step = start.StepTimes.Count > 1 ? start.StepTimes[1] - start.StepTimes[0] : start.Parent.Horizon;
        Profile = IntradayVolumeProfile.Learn(start.History, start.Parent.DecisionTime, step, lookbackDays);
        return start.StepTimes.Select(Profile.Share).ToArray();
    }
}

/// <summary>
/// Rests the whole remainder at the near touch for <paramref name="timeoutSteps"/> steps, re-pegging (and losing
/// its queue place) only when the touch moved more than <paramref name="repegBps"/>; from the timeout on it
/// falls back to market children for what is left.
/// </summary>
public sealed class LimitPeg(int timeoutSteps, double repegBps = 5) : IExecutionAlgorithm
{
    public string Name => "limit-peg";
    public int TimeoutSteps { get; } = timeoutSteps >= 0 ? timeoutSteps : throw new ArgumentException($"Limit-peg timeout must be >= 0 steps, got {timeoutSteps}.");
    public void Begin(ParentStart start) { }
    public ChildOrder Next(in ExecutionState state) =>
        state.Step < TimeoutSteps ? ChildOrder.Passive(state.Remaining, repegBps) : ChildOrder.Market(state.Remaining);
}
