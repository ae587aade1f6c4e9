using AgentFirm.Quant.Execution;

namespace AgentFirm.Models.Deep.Execution;

/// <summary>
/// The RL execution agent as an algorithm: each step it encodes the state, asks the policy for an action and sends
/// that child. Greedy when evaluated; when a <see cref="Random"/> is given it samples and records each step's
/// observation, action and log-probability for training.
/// </summary>
public sealed class RlExecution(PolicyNetwork policy, Random? explore = null) : IExecutionAlgorithm
{
    private readonly float[] _x = new float[ExecutionObservation.Features];

    public string Name => "rl";
    public PolicyNetwork Policy { get; } = policy;

    /// <summary>The steps of the current parent (only when exploring).</summary>
    public List<PolicyStep> Steps { get; } = [];

    /// <summary>Open times of the current parent's sub-steps.</summary>
    public IReadOnlyList<DateTimeOffset> StepTimes { get; private set; } = [];

    public void Begin(ParentStart start)
    {
        Steps.Clear();
        StepTimes = start.StepTimes;
    }

    public ChildOrder Next(in ExecutionState state)
    {
        ExecutionObservation.Encode(state, _x);
        if (explore is null) return ExecutionObservation.Child(Policy.Greedy(_x), state);
        var (action, logp) = Policy.Sample(_x, explore);
        Steps.Add(new PolicyStep((float[])_x.Clone(), action, logp, state.Step));
        return ExecutionObservation.Child(action, state);
    }
}

/// <summary>One decision taken while exploring.</summary>
public sealed record PolicyStep(float[] Observation, int Action, double LogProbability, int Step);
