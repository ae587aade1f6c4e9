using AgentFirm.Quant.Execution;

namespace AgentFirm.Models.Deep.Execution;

/// <summary>
/// The RL execution agent's view of a step and its menu of child orders. Features are scaled to roughly [-3, 3]:
/// remaining share, time left, how far behind a straight-line schedule the order is, the participation it would
/// need from here (log10, 1% = 0), recent volatility and spread (in 10 bp), the queue ahead of its resting child
/// (in recent sub-step volumes) and the share of the remainder resting.
/// </summary>
public static class ExecutionObservation
{
    public const int Features = 8;

    /// <summary>hold, rest at the touch, market 0.5 / 1 / 2 straight-line slices, market everything.</summary>
    public const int Actions = 6;

    public static readonly string[] ActionNames = ["hold", "passive", "market-0.5x", "market-1x", "market-2x", "market-all"];

    public static void Encode(in ExecutionState s, Span<float> x)
    {
        var remaining = s.ParentQuantity > 0 ? s.Remaining / s.ParentQuantity : 0;
        var timeLeft = s.Steps > 0 ? (double)s.StepsLeft / s.Steps : 0;
        var needed = s.RecentVolume > 0 && s.StepsLeft > 0 ? s.Remaining / (s.StepsLeft * s.RecentVolume) : 1;
        x[0] = (float)remaining;
        x[1] = (float)timeLeft;
        x[2] = (float)(remaining - timeLeft);
        x[3] = (float)Math.Clamp(Math.Log10(Math.Max(needed, 1e-9)) + 2, -3, 3);
        x[4] = (float)Math.Clamp(s.RecentVolatility * 1_000, 0, 5);
        x[5] = (float)Math.Clamp(s.SpreadBps / 10, 0, 5);
        x[6] = (float)Math.Clamp(s.RecentVolume > 0 ? s.QueueAhead / s.RecentVolume : 0, 0, 5);
        x[7] = (float)(s.Remaining > 0 ? s.RestingQuantity / s.Remaining : 0);
    }

    /// <summary>The child order an action stands for. On the last step everything left crosses, as every schedule here does.</summary>
    public static ChildOrder Child(int action, in ExecutionState s)
    {
        if (s.StepsLeft <= 1) return ChildOrder.Market(s.Remaining);
        var slice = s.Remaining / s.StepsLeft;
        return action switch
        {
            0 => ChildOrder.Hold,
            1 => ChildOrder.Passive(s.Remaining, 5),
            2 => ChildOrder.Market(0.5 * slice),
            3 => ChildOrder.Market(slice),
            4 => ChildOrder.Market(2 * slice),
            5 => ChildOrder.Market(s.Remaining),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action, $"An execution action is 0..{Actions - 1}."),
        };
    }
}
