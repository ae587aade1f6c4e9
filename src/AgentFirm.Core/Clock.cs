namespace AgentFirm.Core;

/// <summary>Read-only view of the decision clock. Strategies and agents see this; only the engine moves it.</summary>
public interface IDecisionClock
{
    DateTimeOffset Now { get; }
}

/// <summary>The clock of a backtest or replay: it only moves forward, and only its owner moves it.</summary>
public sealed class SimulationClock(DateTimeOffset start) : IDecisionClock
{
    public DateTimeOffset Now { get; private set; } = start;

    public void AdvanceTo(DateTimeOffset time)
    {
        if (time < Now) throw new InvalidOperationException($"The clock cannot go back from {Now:O} to {time:O}.");
        Now = time;
    }
}
