namespace AgentFirm.Core;

public enum OrderSide { Buy, Sell }

public enum OrderType
{
    /// <summary>Fills at the first price available after it arrives, paying spread and slippage.</summary>
    Market,
    /// <summary>Rests at its limit; fills only when the market trades through it, at the maker fee.</summary>
    Limit,
    /// <summary>Becomes a market order once the stop price trades.</summary>
    Stop,
}

public enum OrderStatus { Working, PartiallyFilled, Filled, Cancelled, Rejected }

public static class OrderSideExtensions
{
    /// <summary>+1 for buys, -1 for sells: the sign a fill adds to a position.</summary>
    public static int Sign(this OrderSide side) => side == OrderSide.Buy ? 1 : -1;
}

/// <summary>
/// An order as the strategy sent it. Quantity is in base units and always positive; the side gives the
/// direction. <see cref="SubmittedAt"/> is the decision time; the venue sees it only after its latency.
/// </summary>
public sealed record Order(
    long Id,
    string Symbol,
    OrderSide Side,
    double Quantity,
    OrderType Type,
    DateTimeOffset SubmittedAt,
    double? LimitPrice = null,
    double? StopPrice = null,
    string? Tag = null)
{
    /// <summary>
    /// The order may only move the position toward flat (a venue's reduce-only flag): when it trades it is
    /// capped at what is held against it, and it is cancelled once nothing is left to reduce. Protective
    /// stops are reduce-only so that a stop outliving its position can never open one.
    /// </summary>
    public bool ReduceOnly { get; init; }

    public static Order Market(long id, string symbol, OrderSide side, double quantity, DateTimeOffset at, string? tag = null) =>
        new(id, symbol, side, quantity, OrderType.Market, at, Tag: tag);

    public static Order Limit(long id, string symbol, OrderSide side, double quantity, double limit, DateTimeOffset at, string? tag = null) =>
        new(id, symbol, side, quantity, OrderType.Limit, at, LimitPrice: limit, Tag: tag);

    public static Order Stop(long id, string symbol, OrderSide side, double quantity, double stop, DateTimeOffset at, string? tag = null) =>
        new(id, symbol, side, quantity, OrderType.Stop, at, StopPrice: stop, Tag: tag);

    /// <summary>Throws <see cref="ArgumentException"/> for an order no venue would accept.</summary>
    public void Validate()
    {
        if (!(Quantity > 0) || double.IsInfinity(Quantity))
            throw new ArgumentException($"Order {Id} on {Symbol}: quantity must be a positive finite number, got {Quantity}.");
        switch (Type)
        {
            case OrderType.Limit when LimitPrice is not { } l || !(l > 0) || double.IsInfinity(l):
                throw new ArgumentException($"Order {Id} on {Symbol}: a limit order needs a positive limit price.");
            case OrderType.Stop when StopPrice is not { } s || !(s > 0) || double.IsInfinity(s):
                throw new ArgumentException($"Order {Id} on {Symbol}: a stop order needs a positive stop price.");
        }
    }
}
