namespace AgentFirm.Quant.Risk;

/// <summary>
/// Everything the risk engine remembers between decisions, as a plain record so a grain can persist it
/// and a restarted silo resumes with the same peak, day start and halt. Limits are not part of it: they
/// come from configuration at start.
/// </summary>
public sealed record RiskEngineState
{
    public double? PeakEquity { get; init; }
    public DateOnly? Day { get; init; }
    public double? DayStartEquity { get; init; }
    public bool DailyLossTripped { get; init; }
    public string? DailyLossReason { get; init; }
    public bool DrawdownHalted { get; init; }
    public string? DrawdownReason { get; init; }
    public bool KillSwitchEngaged { get; init; }
    public string? KillSwitchReason { get; init; }
    public DateTimeOffset? LastObservedTime { get; init; }
    public double? LastObservedEquity { get; init; }
    public string? LastResetBy { get; init; }
    public DateTimeOffset? LastResetAt { get; init; }
}
