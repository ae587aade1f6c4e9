namespace AgentFirm.Core;

/// <summary>One print on the tape. <see cref="Aggressor"/> is the side that crossed the spread.</summary>
public readonly record struct Trade(DateTimeOffset Time, double Price, double Quantity, OrderSide Aggressor)
{
    public double Notional => Price * Quantity;
}
