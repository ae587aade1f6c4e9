namespace AgentFirm.Quant.Risk;

/// <summary>
/// The firm's hard limits, fixed when the risk engine starts: the engine keeps its own copy and offers no
/// way to change it, so no agent, prompt or message can loosen a limit mid-run. Fractions are of equity.
/// </summary>
public sealed record RiskLimits
{
    /// <summary>An opening quantity times its risk per unit (stop distance) may lose at most this much equity.</summary>
    public double MaxRiskPerTrade { get; init; } = 0.02;

    /// <summary>Equity below the UTC day's starting equity times (1 - this): only risk-reducing orders until the next UTC day.</summary>
    public double DailyLossLimit { get; init; } = 0.05;

    /// <summary>Equity below the peak times (1 - this): flatten and halt until a person resets the engine.</summary>
    public double MaxDrawdown { get; init; } = 0.15;

    /// <summary>Sum of |position notional| over equity after the order (the leverage cap).</summary>
    public double MaxGrossExposure { get; init; } = 1.0;

    /// <summary>|Sum of position notional| over equity after the order.</summary>
    public double MaxNetExposure { get; init; } = 1.0;

    /// <summary>|One asset's notional| over equity after the order.</summary>
    public double MaxConcentration { get; init; } = 0.6;

    /// <summary>No bar closed for the symbol within this many timeframes of the decision time: opening orders are vetoed.</summary>
    public int StaleAfterBars { get; init; } = 3;

    /// <summary>
    /// Drift circuit breaker: while the drift monitor reports a live feature out of its training distribution,
    /// an opening order may get at most this fraction of its quantity (0, the default, vetoes new exposure).
    /// </summary>
    public double DriftOpeningScale { get; init; }

    /// <summary>
    /// One-way trading cost in basis points of notional (fee + half spread + slippage) that the loss budget
    /// keeps back: an opening order must fit its stop risk, its own entry and exit, and the exit of everything
    /// already held into what is left before the drawdown or daily-loss limit trips. Without this reserve a
    /// firm near its limit keeps paying round trips out of the last of its budget and crosses the limit on
    /// costs alone. The silo sets it from the venue's costs unless configured.
    /// </summary>
    public double ExitCostBps { get; init; }

    /// <summary>
    /// Share of what is left before the drawdown or daily-loss limit that stops and opening orders may commit.
    /// The rest absorbs what a stop cannot promise: the bar that carries a price through it before the next
    /// check, and market impact on the way out. Near a limit the firm then loses at most this share of what is
    /// left each time, so it closes in on the limit without crossing it on a stop that fills as placed.
    /// </summary>
    public double LossBudgetUse { get; init; } = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first limit that makes no sense.</summary>
    public void Validate()
    {
        Fraction(MaxRiskPerTrade, nameof(MaxRiskPerTrade), inclusiveOne: true);
        Fraction(DailyLossLimit, nameof(DailyLossLimit), inclusiveOne: false);
        Fraction(MaxDrawdown, nameof(MaxDrawdown), inclusiveOne: false);
        Positive(MaxGrossExposure, nameof(MaxGrossExposure));
        Positive(MaxNetExposure, nameof(MaxNetExposure));
        Positive(MaxConcentration, nameof(MaxConcentration));
        if (!(DriftOpeningScale >= 0 && DriftOpeningScale <= 1))
            throw new ArgumentException($"RiskLimits.{nameof(DriftOpeningScale)} must be in [0, 1], got {DriftOpeningScale}.", nameof(DriftOpeningScale));
        Fraction(LossBudgetUse, nameof(LossBudgetUse), inclusiveOne: true);
        if (!(ExitCostBps >= 0 && ExitCostBps < 10_000))
            throw new ArgumentException($"RiskLimits.{nameof(ExitCostBps)} must be in [0, 10000) basis points, got {ExitCostBps}.", nameof(ExitCostBps));
        if (StaleAfterBars < 1)
            throw new ArgumentException($"RiskLimits.{nameof(StaleAfterBars)} must be at least 1, got {StaleAfterBars}.", nameof(StaleAfterBars));
    }

    private static void Fraction(double value, string name, bool inclusiveOne)
    {
        var ok = double.IsFinite(value) && value > 0 && (inclusiveOne ? value <= 1 : value < 1);
        if (!ok)
            throw new ArgumentException($"RiskLimits.{name} must be in (0, 1{(inclusiveOne ? "]" : ")")}, got {value}.", name);
    }

    private static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentException($"RiskLimits.{name} must be a positive finite multiple of equity, got {value}.", name);
    }
}
