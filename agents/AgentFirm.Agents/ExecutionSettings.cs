using AgentFirm.Quant.Execution;

namespace AgentFirm.Agents;

/// <summary>
/// The execution agent's set-up (AgentFirm:Execution), fixed for the life of the silo, and the risk agent's
/// VPIN toxicity rule (AgentFirm:Execution:Toxicity, off by default).
/// </summary>
public sealed class ExecutionSettings
{
    public const string Section = "AgentFirm:Execution";

    /// <summary>
    /// naive (default): market for large, urgent or reducing orders, a limit at the last close for small ones.
    /// chosen: the <see cref="ExecutionPlanner"/> picks market, TWAP, VWAP or limit-peg and a horizon per order.
    /// </summary>
    public string Mode { get; set; } = "naive";

    /// <summary>Recent decision bars the chosen mode reads volume and volatility from.</summary>
    public int LookbackBars { get; set; } = 48;

    /// <summary>The quoted spread the planner weighs against volatility, bps (the backtest's cost model has the same).</summary>
    public double SpreadBps { get; set; } = 2;

    /// <summary>Finer bars inside each decision bar are available, so VWAP can learn an intraday profile (set by the host when a run has them).</summary>
    public bool HasVolumeProfile { get; set; }

    /// <summary>These settings for a run whose finer bars let VWAP learn a profile.</summary>
    public ExecutionSettings WithVolumeProfile()
    {
        var copy = (ExecutionSettings)MemberwiseClone();
        copy.HasVolumeProfile = true;
        return copy;
    }

    /// <summary>
    /// The planner's thresholds. The firm re-decides every bar and a new decision drops what a schedule has not sent,
    /// so schedules are capped at one decision bar (worked on the finer bars inside it).
    /// </summary>
    public ExecutionPlanner Planner { get; set; } = new() { MaxHorizonBars = 1 };

    public VpinToxicityRule Toxicity { get; set; } = new();

    public bool Chosen => Mode.Trim().ToLowerInvariant() switch
    {
        "naive" => false,
        "chosen" => true,
        _ => throw new ArgumentException($"{Section}:Mode '{Mode}' is not one of naive, chosen."),
    };

    public void Validate()
    {
        _ = Chosen;
        if (LookbackBars < 2) throw new ArgumentException($"{Section}:LookbackBars must be at least 2, got {LookbackBars}.");
        if (!(SpreadBps >= 0) || !double.IsFinite(SpreadBps)) throw new ArgumentException($"{Section}:SpreadBps must be finite and >= 0, got {SpreadBps}.");
        Planner.Validate();
        Toxicity.Validate();
    }
}
