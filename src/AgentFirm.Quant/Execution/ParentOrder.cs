using AgentFirm.Core;

namespace AgentFirm.Quant.Execution;

/// <summary>
/// An order the desk has decided to trade, before it is cut into child orders. <see cref="DecisionPrice"/> is
/// the price the decision was made on (the last close known at <see cref="DecisionTime"/>); implementation
/// shortfall is measured against it. The order is worked over the sub-steps that open in
/// [<see cref="DecisionTime"/>, <see cref="DecisionTime"/> + <see cref="Horizon"/>); what is left then is not traded.
/// </summary>
public sealed record ParentOrder(string Symbol, OrderSide Side, double Quantity, DateTimeOffset DecisionTime, double DecisionPrice, TimeSpan Horizon)
{
    public void Validate()
    {
        if (!(Quantity > 0) || !double.IsFinite(Quantity)) throw new ArgumentException($"A parent order needs a positive quantity, got {Quantity}.");
        if (!(DecisionPrice > 0) || !double.IsFinite(DecisionPrice)) throw new ArgumentException($"A parent order needs a positive decision price, got {DecisionPrice}.");
        if (Horizon <= TimeSpan.Zero) throw new ArgumentException($"A parent order needs a positive horizon, got {Horizon}.");
    }
}

/// <summary>How hard a child order leans on the book.</summary>
public enum Aggression
{
    /// <summary>Keep whatever is resting; send nothing new this step.</summary>
    Hold,
    /// <summary>Cross the spread now: pays half the spread, fees and square-root impact.</summary>
    Market,
    /// <summary>Rest at the near touch (bid for a buy, ask for a sell) and wait for sellers to come through.</summary>
    Passive,
}

/// <summary>
/// What an algorithm asks of the venue for one sub-step. A passive child replaces what is resting; it keeps its
/// place in the queue when the touch moved less than <see cref="RepegBps"/> and the size did not grow.
/// A market child cancels anything resting first.
/// </summary>
public readonly record struct ChildOrder(double Quantity, Aggression Aggression, double RepegBps = 0)
{
    public static ChildOrder Hold => new(0, Aggression.Hold);
    public static ChildOrder Market(double quantity) => new(Math.Max(0, quantity), Aggression.Market);
    public static ChildOrder Passive(double quantity, double repegBps) => new(Math.Max(0, quantity), Aggression.Passive, repegBps);
}
