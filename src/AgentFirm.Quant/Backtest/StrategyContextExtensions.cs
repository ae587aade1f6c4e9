using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

public static class StrategyContextExtensions
{
    /// <summary>
    /// Moves a symbol's position towards a fraction of equity (negative = short) with a market order,
    /// cancelling the symbol's working orders first. Changes smaller than <paramref name="tolerance"/> of
    /// equity are skipped so that a target held constant does not churn fees.
    /// </summary>
    public static long? RebalanceTo(this IStrategyContext context, string symbol, double targetWeight, double tolerance = 0.01, string? tag = null)
    {
        foreach (var open in context.OpenOrders.Where(o => o.Order.Symbol == symbol).ToList()) context.Cancel(open.Order.Id);
        var portfolio = context.Portfolio;
        var price = portfolio.MarkPrice(symbol);
        var equity = portfolio.Equity;
        if (!(price > 0) || !(equity > 0)) return null;
        var targetQuantity = targetWeight * equity / price;
        var delta = targetQuantity - portfolio.PositionQuantity(symbol);
        if (Math.Abs(delta) * price < tolerance * equity) return null;
        return context.Submit(symbol, delta > 0 ? OrderSide.Buy : OrderSide.Sell, Math.Abs(delta), tag: tag);
    }
}
