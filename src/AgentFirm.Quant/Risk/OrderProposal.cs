using AgentFirm.Core;

namespace AgentFirm.Quant.Risk;

/// <summary>
/// An order the tactical stage wants to send, before risk has seen it. Quantity is in base units and
/// positive; the side gives the direction. <see cref="RiskPerUnit"/> is what one unit loses if the trade
/// goes wrong (e.g. ATR times a multiple: the stop distance); <see cref="Origin"/> says who proposed it.
/// </summary>
public sealed record OrderProposal(string Symbol, OrderSide Side, double Quantity, double ReferencePrice, double RiskPerUnit, string Origin)
{
    /// <summary>Signed quantity: positive buys, negative sells.</summary>
    public double SignedQuantity => Side.Sign() * Quantity;
}

public enum RiskDecision { Approve, Shrink, Veto }

/// <summary>
/// Risk's answer to one proposal: <see cref="ApprovedQuantity"/> is what may be sent (0 for a veto, the full
/// quantity for an approval), and <see cref="Reason"/> names the binding limit with its numbers.
/// </summary>
public sealed record RiskVerdict(OrderProposal Proposal, RiskDecision Decision, double ApprovedQuantity, string Reason)
{
    public bool Allows => ApprovedQuantity > 0;

    /// <summary>The approved part as an order proposal (same side and prices), or null after a veto.</summary>
    public OrderProposal? Approved => ApprovedQuantity > 0 ? Proposal with { Quantity = ApprovedQuantity } : null;
}

/// <summary>
/// What risk sees of the book at a decision time: signed positions in base units, marks (the latest
/// as-of prices), when each symbol's latest bar closed, and the bar timeframe staleness is counted in.
/// </summary>
public sealed record PortfolioSnapshot(
    DateTimeOffset Time,
    double Equity,
    IReadOnlyDictionary<string, double> Positions,
    IReadOnlyDictionary<string, double> Marks,
    IReadOnlyDictionary<string, DateTimeOffset> LastBarClose,
    Timeframe Timeframe);
