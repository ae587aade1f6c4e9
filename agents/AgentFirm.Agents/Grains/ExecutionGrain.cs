using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// Routes approved orders to the venue. Orders that reduce a position, large changes and orders behind a
/// short-horizon call go as market orders (getting out, getting the bulk done or catching a move that lasts
/// a bar matters more than the spread); small adjustments for longer calls rest as limit orders at the last
/// close, which saves the spread and fills only if the market trades through. A resting buy fills on the
/// bars that fall through it, so a one-bar edge worked passively is mostly lost to adverse selection.
/// It also keeps each position's protective stop where the risk agent approved it: a reduce-only stop order,
/// replaced when its level or size changes and cancelled when the position goes flat.
/// </summary>
public sealed class ExecutionGrain : Grain, IExecutionGrain
{
    /// <summary>Below this share of equity an adjustment is not urgent.</summary>
    private const double PassiveBelowEquityShare = 0.05;

    /// <summary>Calls shorter than this many bars are urgent: their orders go to market.</summary>
    private const int PassiveFromHorizonBars = 5;

    /// <summary>Tag of the protective stops this agent places; the driver reports them back as <see cref="PortfolioState.Stops"/>.</summary>
    public const string StopTag = "risk/stop";

    /// <summary>Relative difference below which a resting stop already is the approved one.</summary>
    private const double SameLevel = 1e-9;

    public Task<OrderInstruction[]> RouteAsync(RiskVerdictRecord[] approved, PortfolioState portfolio) =>
        Task.FromResult(Route(approved, portfolio).ToArray());

    /// <summary>
    /// The approved orders first (so at the venue an entry fills before its stop is checked on the same bar),
    /// then the stops: a resting stop that matches the approved one stays, one that differs is cancelled and
    /// replaced, one whose position goes flat is cancelled.
    /// </summary>
    public Task<OrderInstruction[]> RouteWithStopsAsync(RiskReview review, PortfolioState portfolio)
    {
        var orders = Route(review.Verdicts, portfolio);
        SyncStops(review.Stops, portfolio.Stops, orders);
        return Task.FromResult(orders.ToArray());
    }

    /// <summary>Appends the cancellations and new stops that turn the resting stops into the approved ones.</summary>
    internal static void SyncStops(StopApproval[] approved, ProtectiveStop[] resting, List<OrderInstruction> orders)
    {
        Span<bool> kept = resting.Length <= 64 ? stackalloc bool[resting.Length] : new bool[resting.Length];
        foreach (var stop in approved)
        {
            var match = -1;
            for (var r = 0; r < resting.Length; r++)
                if (!kept[r] && string.Equals(resting[r].Symbol, stop.Symbol, StringComparison.OrdinalIgnoreCase) && resting[r].Side == stop.Side
                    && Same(resting[r].Quantity, stop.Quantity) && Same(resting[r].StopPrice, stop.StopPrice))
                {
                    match = r;
                    break;
                }
            if (match >= 0)
            {
                kept[match] = true;
                continue;
            }
            orders.Add(OrderInstruction.ProtectiveStop(stop.Symbol, stop.Side, stop.Quantity, stop.StopPrice, StopTag));
        }
        for (var r = 0; r < resting.Length; r++)
            if (!kept[r]) orders.Add(OrderInstruction.Cancel(resting[r].Symbol, resting[r].OrderId, $"{StopTag}/cancel"));
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) <= SameLevel * Math.Max(Math.Abs(a), Math.Abs(b));

    private static List<OrderInstruction> Route(RiskVerdictRecord[] approved, PortfolioState portfolio)
    {
        var orders = new List<OrderInstruction>(approved.Length + 2);
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
        return orders;
    }
}
