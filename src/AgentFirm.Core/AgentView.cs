namespace AgentFirm.Core;

/// <summary>One number an agent looked at, so a view can be explained and audited.</summary>
public sealed record Evidence(string Name, double Value, string? Note = null);

/// <summary>
/// What one analyst thinks about one asset at a decision time: a direction in [-1, 1] (short to long),
/// a confidence in [0, 1], the horizon it is meant for, the evidence it used and a short rationale.
/// Views are as-of <see cref="AsOf"/>: built only from data known then.
/// </summary>
public sealed record AgentView(
    string Agent,
    string Symbol,
    DateTimeOffset AsOf,
    double Direction,
    double Confidence,
    TimeSpan Horizon,
    IReadOnlyList<Evidence> Evidence,
    string Rationale)
{
    /// <summary>A view that says nothing: used when an agent has too little data or fails.</summary>
    public static AgentView Neutral(string agent, string symbol, DateTimeOffset asOf, TimeSpan horizon, string why) =>
        new(agent, symbol, asOf, 0, 0, horizon, [], why);

    /// <summary>Clamps direction and confidence into range; NaN becomes 0, so a broken model reads as "no view".</summary>
    public AgentView Sanitised() => this with
    {
        Direction = double.IsFinite(Direction) ? Math.Clamp(Direction, -1, 1) : 0,
        Confidence = double.IsFinite(Confidence) ? Math.Clamp(Confidence, 0, 1) : 0,
    };
}

/// <summary>The market state the strategic agent sizes risk for.</summary>
public enum Regime { Calm, Normal, Turbulent, Crisis }
