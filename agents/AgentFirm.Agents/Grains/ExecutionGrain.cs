using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// Routes approved orders to the venue. Orders that reduce a position, and large changes, go as market
/// orders (getting out or getting the bulk done matters more than the spread); small adjustments rest as
/// limit orders at the last close, which saves the spread and fills only if the market trades through.
/// </summary>
public sealed class ExecutionGrain : Grain, IExecutionGrain
{
    /// <summary>Below this share of equity an adjustment is not urgent.</summary>
    private const double PassiveBelowEquityShare = 0.05;

    public Task<OrderInstruction[]> RouteAsync(RiskVerdictRecord[] approved, PortfolioState portfolio)
    {
        var orders = new List<OrderInstruction>(approved.Length);
        foreach (var verdict in approved)
        {
            if (verdict.Decision == VerdictKind.Veto || verdict.ApprovedQuantity <= 0) continue;
            var p = verdict.Proposal;
            var held = portfolio.Positions.TryGetValue(p.Symbol, out var q) ? q : 0;
            var reducing = held != 0 && Math.Sign(held) != p.Side.Sign() && verdict.ApprovedQuantity <= Math.Abs(held) + 1e-12;
            var notional = verdict.ApprovedQuantity * p.ReferencePrice;
            var passive = !reducing && portfolio.Equity > 0 && notional < PassiveBelowEquityShare * portfolio.Equity;
            orders.Add(passive
                ? new OrderInstruction(p.Symbol, p.Side, verdict.ApprovedQuantity, OrderType.Limit, p.ReferencePrice, $"{p.Origin}/limit")
                : new OrderInstruction(p.Symbol, p.Side, verdict.ApprovedQuantity, OrderType.Market, null, $"{p.Origin}/market"));
        }
        return Task.FromResult(orders.ToArray());
    }
}
