using AgentFirm.Core;

namespace AgentFirm.Agents.Contracts;

/// <summary>A bar of one symbol.</summary>
[GenerateSerializer, Immutable]
public sealed record SymbolBar([property: Id(0)] string Symbol, [property: Id(1)] Bar Bar);

/// <summary>
/// One value of a named non-price series (e.g. "BTC-USDT:mvrv", "BTC-USDT:exchange_netflow") that
/// became known at <see cref="KnownAt"/>. NaN means the source had no value: it is masked, never filled.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SeriesPoint([property: Id(0)] string Series, [property: Id(1)] DateTimeOffset KnownAt, [property: Id(2)] double Value);

/// <summary>Everything that became known at one decision time: new bars, headlines and series values.</summary>
[GenerateSerializer, Immutable]
public sealed record MarketUpdate(
    [property: Id(0)] long Step,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] SymbolBar[] Bars,
    [property: Id(3)] Headline[] Headlines,
    [property: Id(4)] SeriesPoint[] Series);

/// <summary>The account as the venue reports it at the decision time.</summary>
[GenerateSerializer, Immutable]
public sealed record PortfolioState(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] double Cash,
    [property: Id(2)] double Equity,
    [property: Id(3)] Dictionary<string, double> Positions,
    [property: Id(4)] Dictionary<string, double> Marks,
    [property: Id(5)] Dictionary<string, DateTimeOffset> LastBarClose,
    [property: Id(6)] TimeSpan BarDuration)
{
    /// <summary>The protective stops resting at the venue (reduce-only), so the risk and execution agents can keep or move them.</summary>
    [Id(7)] public ProtectiveStop[] Stops { get; init; } = [];

    /// <summary>Signed quantity still working at the venue per symbol in orders that are not stops (a passive entry may fill later); null when none.</summary>
    [Id(8)] public Dictionary<string, double>? Working { get; init; }
}

/// <summary>A protective stop order resting at the venue.</summary>
[GenerateSerializer, Immutable]
public sealed record ProtectiveStop(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long OrderId,
    [property: Id(2)] OrderSide Side,
    [property: Id(3)] double Quantity,
    [property: Id(4)] double StopPrice);

/// <summary>The stop a position should carry, as the risk agent approved it: its side, size, level and why there.</summary>
[GenerateSerializer, Immutable]
public sealed record StopApproval(
    [property: Id(0)] string Symbol,
    [property: Id(1)] OrderSide Side,
    [property: Id(2)] double Quantity,
    [property: Id(3)] double StopPrice,
    [property: Id(4)] string Reason);

/// <summary>
/// What the risk agent does between two decisions: orders to send now (flattening after a limit tripped, or
/// tighter stops), the equity below which it must be asked again, and why it acted (null when it did not).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GuardAction(
    [property: Id(0)] OrderInstruction[] Orders,
    [property: Id(1)] double EquityFloor,
    [property: Id(2)] string? Reason);

/// <summary>
/// What the driver (backtest or live session) hands the meta-controller at each step. Fills and funding
/// carry the venue's running index of the first one, so a retried step never books them twice.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DecisionInput(
    [property: Id(0)] MarketUpdate Market,
    [property: Id(1)] PortfolioState Portfolio,
    [property: Id(2)] Fill[] NewFills,
    [property: Id(3)] FundingPayment[] NewFunding,
    [property: Id(4)] int FirstFillIndex,
    [property: Id(5)] int FirstFundingIndex)
{
    /// <summary>A warm-up step (before the scored span): the firm reads and learns, but proposes no orders.</summary>
    [Id(6)] public bool WarmingUp { get; init; }

    /// <summary>Orders the risk agent sent between the previous decision and this one (flattening, tighter stops), for the ledger.</summary>
    [Id(7)] public OrderInstruction[] BetweenDecisions { get; init; } = [];

    /// <summary>
    /// Set by a driver that can replay the run (the cluster's): a meta-controller that lost its memory (its silo died)
    /// refuses a later step with <see cref="FirmMemoryLostException"/> instead of carrying on without its history.
    /// </summary>
    [Id(8)] public bool ReplayableRun { get; init; }
}

/// <summary>
/// A freshly activated meta-controller was asked for a step after the first of a replayable run: what the firm had
/// learned died with a silo. The driver replays the run's history into it and retries the step.
/// </summary>
[GenerateSerializer]
public sealed class FirmMemoryLostException(string message, long step) : Exception(message)
{
    [Id(0)] public long Step { get; } = step;
}

/// <summary>An order the execution agent sends to the venue.</summary>
[GenerateSerializer, Immutable]
public sealed record OrderInstruction(
    [property: Id(0)] string Symbol,
    [property: Id(1)] OrderSide Side,
    [property: Id(2)] double Quantity,
    [property: Id(3)] OrderType Type,
    [property: Id(4)] double? LimitPrice,
    [property: Id(5)] string Tag)
{
    /// <summary>The trigger price of a stop order.</summary>
    [Id(6)] public double? StopPrice { get; init; }

    /// <summary>May only reduce the position (protective stops).</summary>
    [Id(7)] public bool ReduceOnly { get; init; }

    /// <summary>Above 0: not a new order but the cancellation of this resting order.</summary>
    [Id(8)] public long CancelOrderId { get; init; }

    /// <summary>The execution algorithm chosen for this order (market, limit, twap, vwap, limit-peg); null for stops and cancels.</summary>
    [Id(9)] public string? Algorithm { get; init; }

    /// <summary>Over how long the algorithm works the order; zero for a single order at the venue.</summary>
    [Id(10)] public TimeSpan Horizon { get; init; }

    /// <summary>Why the execution agent chose this algorithm, in words.</summary>
    [Id(11)] public string? Reason { get; init; }

    public static OrderInstruction Cancel(string symbol, long orderId, string tag) =>
        new(symbol, OrderSide.Buy, 0, OrderType.Stop, null, tag) { CancelOrderId = orderId };

    public static OrderInstruction ProtectiveStop(string symbol, OrderSide side, double quantity, double stopPrice, string tag) =>
        new(symbol, side, quantity, OrderType.Stop, null, tag) { StopPrice = stopPrice, ReduceOnly = true };
}

/// <summary>
/// The meta decision for one symbol: a direction (sign), the calibrated probability that it is right,
/// and the horizon the call is meant for.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TargetDecision(
    [property: Id(0)] string Symbol,
    [property: Id(1)] double Direction,
    [property: Id(2)] double Confidence,
    [property: Id(3)] string Source,
    [property: Id(4)] string Rationale,
    [property: Id(5)] TimeSpan Horizon)
{
    /// <summary>P(up) implied by direction and confidence; a confidence under one half is read as no call.</summary>
    public double ProbabilityUp
    {
        get
        {
            var right = double.IsFinite(Confidence) ? Math.Clamp(Confidence, 0.5, 1) : 0.5;
            var sign = double.IsFinite(Direction) ? Math.Sign(Direction) : 0;
            return 0.5 + sign * (right - 0.5);
        }
    }
}

/// <summary>What the tactical agent made of one target: the weight it aims for, the weight held, and why.</summary>
[GenerateSerializer, Immutable]
public sealed record SizingNote(
    [property: Id(0)] string Symbol,
    [property: Id(1)] double TargetWeight,
    [property: Id(2)] double CurrentWeight,
    [property: Id(3)] bool Trade,
    [property: Id(4)] string Reason);

/// <summary>The tactical agent's answer: order proposals for the risk agent, and a note per target.</summary>
[GenerateSerializer, Immutable]
public sealed record SizingPlan([property: Id(0)] ProposedOrder[] Proposals, [property: Id(1)] SizingNote[] Notes);

/// <summary>One bin of the meta-controller's reliability table.</summary>
[GenerateSerializer, Immutable]
public sealed record ReliabilityRow(
    [property: Id(0)] double From,
    [property: Id(1)] double To,
    [property: Id(2)] int Calls,
    [property: Id(3)] double MeanConfidence,
    [property: Id(4)] double HitRate);

/// <summary>How well the firm's stated confidence matched its resolved calls, and whom it trusts.</summary>
[GenerateSerializer, Immutable]
public sealed record CalibrationReport(
    [property: Id(0)] int ResolvedCalls,
    [property: Id(1)] double Brier,
    [property: Id(2)] ReliabilityRow[] Bins,
    [property: Id(3)] Dictionary<string, double> AgentTrust,
    [property: Id(4)] double CalibrationSlope,
    [property: Id(5)] Dictionary<string, AgentFit> AgentFits);

/// <summary>An agent's calibration on its resolved calls: log-odds = Sign x sign(x) + Linear x x, their standard errors and how many calls it rests on.</summary>
[GenerateSerializer, Immutable]
public sealed record AgentFit(
    [property: Id(0)] double Sign,
    [property: Id(1)] double Linear,
    [property: Id(2)] double SignError,
    [property: Id(3)] double LinearError,
    [property: Id(4)] int Calls);

/// <summary>An order proposal from the tactical agent, before risk.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposedOrder(
    [property: Id(0)] string Symbol,
    [property: Id(1)] OrderSide Side,
    [property: Id(2)] double Quantity,
    [property: Id(3)] double ReferencePrice,
    [property: Id(4)] double RiskPerUnit,
    [property: Id(5)] string Origin)
{
    /// <summary>The horizon of the call behind the order: a call about the next bar cannot wait for a passive fill.</summary>
    [Id(6)] public TimeSpan Horizon { get; init; }
}

public enum VerdictKind { Approve, Shrink, Veto }

/// <summary>The risk agent's answer to one proposal, with the reason that is stored and shown.</summary>
[GenerateSerializer, Immutable]
public sealed record RiskVerdictRecord(
    [property: Id(0)] ProposedOrder Proposal,
    [property: Id(1)] VerdictKind Decision,
    [property: Id(2)] double ApprovedQuantity,
    [property: Id(3)] string Reason);

/// <summary>The risk agent's review of a step: verdicts, and whether the firm is halted.</summary>
[GenerateSerializer, Immutable]
public sealed record RiskReview(
    [property: Id(0)] RiskVerdictRecord[] Verdicts,
    [property: Id(1)] bool Halted,
    [property: Id(2)] string? HaltReason,
    [property: Id(3)] bool KillSwitch)
{
    /// <summary>The protective stop every position (after this step's orders) should carry; none for a flat one.</summary>
    [Id(4)] public StopApproval[] Stops { get; init; } = [];

    /// <summary>Between decisions, the driver asks the risk agent again once equity falls below this.</summary>
    [Id(5)] public double EquityFloor { get; init; } = double.NegativeInfinity;
}

/// <summary>A live feature out of its training distribution (the drift monitor's KS test), for the risk grain's drift circuit breaker.</summary>
[GenerateSerializer, Immutable]
public sealed record FeatureDrift(
    [property: Id(0)] string Feature,
    [property: Id(1)] double Statistic,
    [property: Id(2)] double PValue,
    [property: Id(3)] DateTimeOffset Time,
    [property: Id(4)] int TrainingCount,
    [property: Id(5)] int LiveCount);

/// <summary>The risk agent's standing: limits in force and whether it is halted.</summary>
[GenerateSerializer, Immutable]
public sealed record RiskStatus(
    [property: Id(0)] bool Halted,
    [property: Id(1)] string? HaltReason,
    [property: Id(2)] bool KillSwitch,
    [property: Id(3)] double PeakEquity,
    [property: Id(4)] double DayStartEquity,
    [property: Id(5)] string Limits);

/// <summary>
/// The strategic agent's reading of the market. <see cref="Probabilities"/> are the filtered odds of each regime
/// as of the step (null from readers that give only a label, such as the fallback when the agent is unavailable).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RegimeAssessment(
    [property: Id(0)] Regime Regime,
    [property: Id(1)] double RiskBudget,
    [property: Id(2)] string Rationale,
    [property: Id(3)] RegimeProbabilities? Probabilities = null);

/// <summary>Probabilities of the four regimes at one step; they sum to one.</summary>
[GenerateSerializer, Immutable]
public sealed record RegimeProbabilities(
    [property: Id(0)] double Calm,
    [property: Id(1)] double Normal,
    [property: Id(2)] double Turbulent,
    [property: Id(3)] double Crisis);

/// <summary>The sentiment text pipeline's running counts: texts in, kept, neutralised, and dropped per reason (the reason's name).</summary>
[GenerateSerializer, Immutable]
public sealed record TextPipelineCounts(
    [property: Id(0)] int Input,
    [property: Id(1)] int Kept,
    [property: Id(2)] int Neutralised,
    [property: Id(3)] Dictionary<string, int> Dropped);

/// <summary>Views of one analyst for one step.</summary>
[GenerateSerializer, Immutable]
public sealed record AnalystReport([property: Id(0)] string Agent, [property: Id(1)] AgentView[] Views)
{
    /// <summary>Wall-clock milliseconds the analyst took for this step (set by the analyst desk, which times each seat).</summary>
    [Id(2)] public double Millis { get; init; }
}

/// <summary>
/// The analyst desk's answer for one step: the reports of the analysts that answered (in the firm's consulting
/// order), the analysts that failed and were dropped, and the strategic agent's regime (its fallback if it failed).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AnalystBrief(
    [property: Id(0)] AnalystReport[] Reports,
    [property: Id(1)] string[] Dropped,
    [property: Id(2)] RegimeAssessment Regime);

/// <summary>Everything about one decision step, for the ledger, the dashboard and the audit trail.</summary>
[GenerateSerializer, Immutable]
public sealed record DecisionRecord(
    [property: Id(0)] long Step,
    [property: Id(1)] DateTimeOffset Time,
    [property: Id(2)] AgentView[] Views,
    [property: Id(3)] string[] DroppedAgents,
    [property: Id(4)] Dictionary<string, double> Weights,
    [property: Id(5)] RegimeAssessment Regime,
    [property: Id(6)] TargetDecision[] Targets,
    [property: Id(7)] RiskVerdictRecord[] Verdicts,
    [property: Id(8)] double Equity,
    [property: Id(9)] bool Halted,
    [property: Id(10)] string? HaltReason,
    [property: Id(11)] bool KillSwitch)
{
    /// <summary>The tactical agent's note per target: why a view did or did not become a position.</summary>
    [Id(12)] public SizingNote[] Sizing { get; init; } = [];

    /// <summary>The protective stops the risk agent approved for the book after this step's orders.</summary>
    [Id(13)] public StopApproval[] Stops { get; init; } = [];

    /// <summary>The equity below which the risk agent acts before the next decision.</summary>
    [Id(14)] public double EquityFloor { get; init; } = double.NegativeInfinity;

    /// <summary>The bull/bear researchers' debate the meta-controller's mind decided with, one line per turn; empty when there was none.</summary>
    [Id(15)] public string[] Debate { get; init; } = [];

    /// <summary>Milliseconds each analyst that answered took at this step (the dashboard's per-agent latency).</summary>
    [Id(16)] public Dictionary<string, double> AnalystMillis { get; init; } = [];
}

/// <summary>What the meta-controller returns to the driver: the orders to send and the record of the step.</summary>
[GenerateSerializer, Immutable]
public sealed record DecisionOutput([property: Id(0)] OrderInstruction[] Orders, [property: Id(1)] DecisionRecord Record);

/// <summary>How a firm run is set up; sent once before the first step.</summary>
[GenerateSerializer, Immutable]
public sealed record FirmSetup(
    [property: Id(0)] string[] Symbols,
    [property: Id(1)] string QuoteCurrency,
    [property: Id(2)] double InitialCash,
    [property: Id(3)] TimeSpan BarDuration,
    [property: Id(4)] DateTimeOffset Start)
{
    /// <summary>The driver replays the run from its first step into fresh grains: the risk state starts over too.</summary>
    [Id(5)] public bool Replay { get; init; }
}

/// <summary>Ledger entries to append; the portfolio grain refuses anything but the next sequence numbers.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerBatch([property: Id(0)] LedgerEntry[] Entries);

/// <summary>The ledger's derived state at the given marks.</summary>
[GenerateSerializer, Immutable]
public sealed record LedgerSummary(
    [property: Id(0)] long LastSequence,
    [property: Id(1)] double Cash,
    [property: Id(2)] double Equity,
    [property: Id(3)] Dictionary<string, double> Positions,
    [property: Id(4)] int Fills,
    [property: Id(5)] int Vetoes,
    [property: Id(6)] double FeesPaid,
    [property: Id(7)] int FundingPayments,
    [property: Id(8)] long LastStep);
