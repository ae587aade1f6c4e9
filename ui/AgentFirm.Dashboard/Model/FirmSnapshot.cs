using AgentFirm.Core;

namespace AgentFirm.Dashboard.Model;

/// <summary>What the firm looks like at <see cref="AsOf"/>: everything the overview page shows, in one immutable value.</summary>
/// <param name="Mode">One of <see cref="FirmModes"/>: "live simulator", "replay" or "backtest".</param>
/// <param name="Equity">The equity curve, oldest first.</param>
/// <param name="Decisions">Recent decision steps, latest first.</param>
/// <param name="Vetoes">Vetoed proposals, latest first.</param>
public sealed record FirmSnapshot(
    DateTimeOffset AsOf,
    string Mode,
    IReadOnlyList<EquityPoint> Equity,
    IReadOnlyList<PositionRow> Positions,
    IReadOnlyList<DecisionStepRow> Decisions,
    IReadOnlyList<VetoRow> Vetoes,
    RiskStatus Risk,
    double Cash,
    double EquityValue)
{
    /// <summary>The LLM mind's counts (calls, fallbacks by reason, retries) as one line; null for the offline mind.</summary>
    public string? Mind { get; init; }

    /// <summary>Who did what to the firm: kill switch, reset, and the risk agent's own halts and resumes; latest first.</summary>
    public IReadOnlyList<AuditEntry> Audit { get; init; } = [];

    /// <summary>Each analyst's record so far (views, weight, resolved calls), in the firm's consulting order.</summary>
    public IReadOnlyList<AgentRecord> Agents { get; init; } = [];

    /// <summary>The firm's position PnL so far split among the analysts (<see cref="PnlAttribution"/>); empty when the host does not split it.</summary>
    public IReadOnlyDictionary<string, double> PnlByAgent { get; init; } = new Dictionary<string, double>();

    /// <summary>What decides: the offline rules, or the LLM model and the version of its prompt.</summary>
    public string MindDescription { get; init; } = "offline rules (no LLM)";

    /// <summary>Wall-clock time the last decision step took (all grains), and the mean over the session.</summary>
    public TimeSpan LastStepLatency { get; init; }
    public TimeSpan MeanStepLatency { get; init; }

    /// <summary>Before the firm has taken its first step.</summary>
    public static FirmSnapshot Empty { get; } =
        new(DateTimeOffset.MinValue, FirmModes.LiveSimulator, [], [], [], [], RiskStatus.Normal, 0, 0);
}

/// <summary>The modes a firm runs in; the same engine, only the clock and the venue differ.</summary>
public static class FirmModes
{
    public const string LiveSimulator = "live simulator";
    public const string Replay = "replay";
    public const string Backtest = "backtest";
}

/// <param name="Drawdown">Fall from the running peak as a positive fraction (0.1 = 10% below the peak).</param>
public sealed record EquityPoint(DateTimeOffset Time, double Equity, double Drawdown)
{
    /// <summary>Sum of |market value| and the signed sum, each as a fraction of equity, after the step.</summary>
    public double Gross { get; init; }
    public double Net { get; init; }
}

public sealed record PositionRow(
    string Symbol,
    double Quantity,
    double AveragePrice,
    double Mark,
    double MarketValue,
    double UnrealisedPnl);

/// <summary>
/// One decision step as DESIGN.md numbers it: each analyst's view, the weight the meta-controller gave
/// each agent, its decision per symbol and the risk grain's verdict on every proposal.
/// </summary>
/// <param name="Weights">Weight per agent name (the meta-controller's track-record weighting for this step).</param>
/// <param name="Regime">The strategic agent's regime for this step, when known.</param>
public sealed record DecisionStepRow(
    long Step,
    DateTimeOffset Time,
    IReadOnlyList<AgentView> Views,
    IReadOnlyDictionary<string, double> Weights,
    IReadOnlyList<MetaDecisionRow> Decisions,
    IReadOnlyList<RiskVerdictRow> Verdicts,
    Regime? Regime = null)
{
    /// <summary>Analysts that failed or timed out at this step; their views are missing from <see cref="Views"/>.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];

    /// <summary>Fills the venue reported between the previous step and this one (orders sent at earlier steps).</summary>
    public IReadOnlyList<Fill> Fills { get; init; } = [];

    /// <summary>Milliseconds each analyst that answered took at this step (empty when the host does not time them).</summary>
    public IReadOnlyDictionary<string, double> AnalystMillis { get; init; } = new Dictionary<string, double>();

    /// <summary>The strategic agent's regime probabilities at this step, when its model gives them.</summary>
    public RegimeOdds? Odds { get; init; }
}

/// <summary>Whether a decision came from the quantitative weighting or an LLM mind's synthesis.</summary>
public enum DecisionSource { Quant, Mind }

/// <summary>
/// The meta-controller's target for one symbol: direction in [-1, 1], confidence in [0, 1] (the calibrated
/// probability that the direction is right), and the tactical agent's note on what it made of it (why a view
/// did or did not become a position: long-only spot, below the cost band, the weight and how it was sized).
/// </summary>
public sealed record MetaDecisionRow(
    string Symbol,
    double Direction,
    double Confidence,
    DecisionSource Source,
    string Rationale,
    string Sizing = "");

public enum RiskAction { Approve, Shrink, Veto }

/// <summary>The risk grain's answer to one order proposal, with the reason it recorded.</summary>
public sealed record RiskVerdictRow(
    string Symbol,
    RiskAction Action,
    double ProposedQuantity,
    double ApprovedQuantity,
    string Reason);

/// <summary>A vetoed proposal, kept for the veto log.</summary>
public sealed record VetoRow(
    DateTimeOffset Time,
    long Step,
    string Symbol,
    double ProposedQuantity,
    string Reason);

/// <summary>The risk grain's state; limits are shown beside the figures when the host knows them (0 = not given).</summary>
/// <param name="DayLoss">Today's loss as a positive fraction of start-of-day equity.</param>
/// <param name="Drawdown">Current fall from the peak as a positive fraction.</param>
public sealed record RiskStatus(
    bool Halted,
    string? HaltReason,
    bool KillSwitch,
    double DayLoss,
    double Drawdown,
    double DayLossLimit = 0,
    double MaxDrawdownLimit = 0)
{
    public static RiskStatus Normal { get; } = new(false, null, false, 0, 0);

    /// <summary>The deepest drawdown and day's loss seen so far: beyond a limit, that is how far the book overshot it.</summary>
    public double WorstDrawdown { get; init; }
    public double WorstDayLoss { get; init; }

    /// <summary>The protective stops the risk agent approved at the last step, one line each ("BTC-USDT: sell 1.5 at 95.2").</summary>
    public IReadOnlyList<string> Stops { get; init; } = [];

    /// <summary>The exposure limits as fractions of equity (0 = not given) and the current book against them.</summary>
    public double GrossLimit { get; init; }
    public double NetLimit { get; init; }
    public double ConcentrationLimit { get; init; }
    public double TradeRiskLimit { get; init; }
    public double Gross { get; init; }
    public double Net { get; init; }
    /// <summary>The largest single position's |market value| as a fraction of equity.</summary>
    public double Concentration { get; init; }

    /// <summary>Share of the loss budget left that stops and new positions may commit (AgentFirm:Risk:LossBudgetUse; 0 = not given).</summary>
    public double LossBudgetUse { get; init; }

    /// <summary>
    /// What the nearer of the drawdown and day-loss limits still lets the book lose, as a fraction of current equity:
    /// with equity E and peak E / (1 - drawdown), E - peak x (1 - limit) = E (limit - drawdown) / (1 - drawdown), and
    /// the same for the day. 0 when a limit is reached or not given.
    /// </summary>
    public double LossBudgetLeft
    {
        get
        {
            if (!(MaxDrawdownLimit > 0 && DayLossLimit > 0) || Halted) return 0;
            var drawdown = (MaxDrawdownLimit - Drawdown) / (1 - Drawdown);
            var day = (DayLossLimit - DayLoss) / (1 - DayLoss);
            return Math.Max(0, Math.Min(drawdown, day));
        }
    }
}

/// <summary>One line of the audit trail.</summary>
/// <param name="At">Wall-clock time of the action (UTC).</param>
/// <param name="Step">The firm's last decision step when it happened.</param>
/// <param name="Who">The person who pressed it, or "risk agent" for the firm's own halts.</param>
public sealed record AuditEntry(DateTimeOffset At, long Step, string Who, string Action, string Detail);
