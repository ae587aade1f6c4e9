namespace AgentFirm.Quant.Execution;

/// <summary>
/// What an algorithm knows before sub-step <see cref="Step"/> opens: only bars that closed before it.
/// Volatility is the standard deviation of recent sub-step log returns; volumes are in base units.
/// </summary>
public readonly record struct ExecutionState(
    int Step,
    int Steps,
    double ParentQuantity,
    double Remaining,
    double LastClose,
    double RecentVolume,
    double RecentVolatility,
    double SpreadBps,
    double RestingQuantity,
    double QueueAhead)
{
    public double Filled => ParentQuantity - Remaining;
    public int StepsLeft => Steps - Step;
}

/// <summary>Everything an algorithm may use when a parent order starts: the order, the sub-step open times and the bars closed by then.</summary>
public sealed record ParentStart(ParentOrder Parent, IReadOnlyList<DateTimeOffset> StepTimes, IReadOnlyList<Core.Bar> History);

/// <summary>
/// Cuts one parent order into child orders, one decision per sub-step. <see cref="Begin"/> is called once per
/// parent before its first step; the algorithm may keep per-parent state until the next Begin.
/// </summary>
public interface IExecutionAlgorithm
{
    string Name { get; }
    void Begin(ParentStart start);
    ChildOrder Next(in ExecutionState state);
}
