namespace AgentFirm.Core;

/// <summary>
/// A perpetual-swap funding settlement. With a positive <see cref="Rate"/> longs pay shorts:
/// <see cref="Amount"/> = -position × mark × rate, so it is negative (paid) for a long and positive for a short.
/// </summary>
public sealed record FundingPayment(DateTimeOffset Time, string Symbol, double PositionQuantity, double MarkPrice, double Rate, double Amount)
{
    public static FundingPayment Settle(DateTimeOffset time, string symbol, double positionQuantity, double markPrice, double rate) =>
        new(time, symbol, positionQuantity, markPrice, rate, -positionQuantity * markPrice * rate);
}
