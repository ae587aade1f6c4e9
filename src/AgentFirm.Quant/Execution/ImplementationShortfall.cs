using AgentFirm.Core;

namespace AgentFirm.Quant.Execution;

/// <summary>
/// Implementation shortfall of one parent order (Perold, "The implementation shortfall: paper versus reality",
/// J. Portfolio Management 1988): what the traded order cost against a paper portfolio that traded everything
/// at the decision price. In quote currency, positive = cost, for a buy (a sell mirrors the signs):
/// <code>
/// executed     = F (average fill - decision)         what the filled part paid over the decision price
///   delay      = F (arrival - decision)              of which the price moved before the order reached the venue
///   trading    = F (average fill - arrival)          of which the price moved (and was pushed) while working
///     impact   = sum of spread + square-root impact  of which the venue's cost model charged
/// opportunity  = (Q - F)(end - decision)             the move the unfilled part missed
/// fees         = sum of child fees
/// total        = executed + opportunity + fees,      in bps of Q x decision price
/// </code>
/// The arrival-price benchmark measures the same against the price when the order reached the venue, so it leaves
/// out the delay the algorithm could not help.
/// </summary>
public sealed record ImplementationShortfall(
    OrderSide Side, double Quantity, double DecisionPrice, double ArrivalPrice, double EndPrice,
    double FilledQuantity, double AverageFillPrice, double Fees, double ImpactCost)
{
    private int Sign => Side.Sign();
    public double UnfilledQuantity => Math.Max(0, Quantity - FilledQuantity);
    public double FilledShare => FilledQuantity / Quantity;

    public double ExecutedCost => Sign * FilledQuantity * (AverageFillPrice - DecisionPrice);
    public double DelayCost => Sign * FilledQuantity * (ArrivalPrice - DecisionPrice);
    public double TradingCost => Sign * FilledQuantity * (AverageFillPrice - ArrivalPrice);
    public double OpportunityCost => Sign * UnfilledQuantity * (EndPrice - DecisionPrice);
    public double Total => ExecutedCost + OpportunityCost + Fees;
    public double TotalBps => Total / (Quantity * DecisionPrice) * 10_000;

    /// <summary>Shortfall against the arrival price, in bps of Q x arrival price.</summary>
    public double ArrivalBps =>
        (TradingCost + Sign * UnfilledQuantity * (EndPrice - ArrivalPrice) + Fees) / (Quantity * ArrivalPrice) * 10_000;

    public static ImplementationShortfall From(ParentOrder parent, double arrivalPrice, double endPrice, IReadOnlyList<ChildFill> fills) =>
        From(parent.Side, parent.Quantity, parent.DecisionPrice, arrivalPrice, endPrice, fills);

    /// <summary>The same for a parent given by its side, quantity and decision price (a firm backtest's journalled orders).</summary>
    public static ImplementationShortfall From(OrderSide side, double parentQuantity, double decisionPrice, double arrivalPrice, double endPrice,
        IReadOnlyList<ChildFill> fills)
    {
        double quantity = 0, notional = 0, fees = 0, impact = 0;
        foreach (var f in fills)
        {
            quantity += f.Quantity;
            notional += f.Quantity * f.Price;
            fees += f.Fee;
            impact += f.ImpactCost;
        }
        var average = quantity > 0 ? notional / quantity : 0;
        return new ImplementationShortfall(side, parentQuantity, decisionPrice, arrivalPrice, endPrice, quantity, average, fees, impact);
    }
}

/// <summary>One child fill: on the sub-bar opening at <see cref="BarTime"/>, at <see cref="Price"/> (fees apart).</summary>
/// <param name="ImpactCost">Half spread plus square-root impact paid, in quote currency (0 for a passive fill).</param>
public readonly record struct ChildFill(DateTimeOffset BarTime, double Quantity, double Price, double Fee, double ImpactCost, bool IsMaker);
