namespace AgentFirm.Core;

/// <summary>
/// An execution. <see cref="Price"/> already includes spread and slippage; <see cref="SlippageCost"/> is
/// what they cost against the reference price (the bar open or the stop), so reports can show it apart.
/// Fees are charged in the quote currency.
/// </summary>
public sealed record Fill(
    long OrderId,
    string Symbol,
    OrderSide Side,
    double Quantity,
    double Price,
    double Fee,
    double SlippageCost,
    bool IsMaker,
    DateTimeOffset Time)
{
    public double Notional => Quantity * Price;

    /// <summary>Signed base quantity: positive for buys.</summary>
    public double SignedQuantity => Side.Sign() * Quantity;
}
