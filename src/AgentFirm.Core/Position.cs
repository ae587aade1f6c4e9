namespace AgentFirm.Core;

/// <summary>
/// A net position in one instrument: signed base quantity and the average entry price of what is open.
/// Reducing or flipping realises PnL against that average (the usual exchange convention).
/// </summary>
public sealed class Position(string symbol)
{
    public string Symbol { get; } = symbol;
    public double Quantity { get; private set; }
    public double AveragePrice { get; private set; }
    public double RealizedPnl { get; private set; }

    public bool IsFlat => Quantity == 0;

    public double MarketValue(double markPrice) => Quantity * markPrice;

    public double UnrealizedPnl(double markPrice) => Quantity * (markPrice - AveragePrice);

    /// <summary>Applies a signed quantity at a price and returns the PnL it realised (before fees).</summary>
    public double Apply(double signedQuantity, double price)
    {
        if (signedQuantity == 0) return 0;
        double realized = 0;
        if (Quantity == 0 || Math.Sign(Quantity) == Math.Sign(signedQuantity))
        {
            var newQuantity = Quantity + signedQuantity;
            AveragePrice = (AveragePrice * Quantity + price * signedQuantity) / newQuantity;
            Quantity = newQuantity;
        }
        else
        {
            var closing = Math.Min(Math.Abs(signedQuantity), Math.Abs(Quantity));
            realized = closing * (price - AveragePrice) * Math.Sign(Quantity);
            var remainder = Quantity + signedQuantity;
            // Snap dust from float arithmetic so "flat" means flat.
            if (Math.Abs(remainder) <= 1e-12 * Math.Max(1, Math.Abs(Quantity))) remainder = 0;
            if (remainder == 0) AveragePrice = 0;
            else if (Math.Sign(remainder) != Math.Sign(Quantity)) AveragePrice = price; // flipped: the rest opened here
            Quantity = remainder;
        }
        RealizedPnl += realized;
        return realized;
    }
}
