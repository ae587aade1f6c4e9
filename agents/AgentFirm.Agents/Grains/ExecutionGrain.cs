using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// Routes approved orders to the venue. Orders that reduce a position, large changes and orders behind a
/// short-horizon call go as market orders (getting out, getting the bulk done or catching a move that lasts
/// a bar matters more than the spread); small adjustments for longer calls rest as limit orders at the last
/// close, which saves the spread and fills only if the market trades through. A resting buy fills on the
/// bars that fall through it, so a one-bar edge worked passively is mostly lost to adverse selection.
/// </summary>
public sealed class ExecutionGrain : Grain, IExecutionGrain
{
    /// <summary>Below this share of equity an adjustment is not urgent.</summary>
    private const double PassiveBelowEquityShare = 0.05;

    /// <summary>Calls shorter than this many bars are urgent: their orders go to market.</summary>
    private const int PassiveFromHorizonBars = 5;

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
            var urgent = p.Horizon < PassiveFromHorizonBars * portfolio.BarDuration;
            var passive = !reducing && !urgent && portfolio.Equity > 0 && notional < PassiveBelowEquityShare * portfolio.Equity;
            orders.Add(passive
                ? new OrderInstruction(p.Symbol, p.Side, verdict.ApprovedQuantity, OrderType.Limit, p.ReferencePrice, $"{p.Origin}/limit")
                : new OrderInstruction(p.Symbol, p.Side, verdict.ApprovedQuantity, OrderType.Market, null, $"{p.Origin}/market"));
        }
        return Task.FromResult(orders.ToArray());
    }
}
