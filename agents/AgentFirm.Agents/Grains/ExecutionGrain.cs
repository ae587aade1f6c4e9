using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Execution;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// Routes approved orders to the venue. Orders that reduce a position, large changes and orders behind a
/// short-horizon call go as market orders (getting out, getting the bulk done or catching a move that lasts
/// a bar matters more than the spread); small adjustments for longer calls rest as limit orders at the last
/// close, which saves the spread and fills only if the market trades through. A resting buy fills on the
/// bars that fall through it, so a one-bar edge worked passively is mostly lost to adverse selection.
/// It also keeps each position's protective stop where the risk agent approved it: a reduce-only stop order,
/// replaced when its level or size changes and cancelled when the position goes flat.
/// That naive rule is the default; with <see cref="ExecutionSettings.Mode"/> chosen the <see cref="ExecutionPlanner"/>
/// picks market, TWAP, VWAP or limit-peg and a horizon per order from its size against recent volume, the view's
/// horizon and spread against volatility. Either way the algorithm and the reason travel with the order.
/// </summary>
public sealed class ExecutionGrain(ExecutionSettings settings) : Grain, IExecutionGrain
{
    /// <summary>Below this share of equity an adjustment is not urgent.</summary>
    private const double PassiveBelowEquityShare = 0.05;

    /// <summary>Calls shorter than this many bars are urgent: their orders go to market.</summary>
    private const int PassiveFromHorizonBars = 5;

    /// <summary>Tag of the protective stops this agent places; the driver reports them back as <see cref="PortfolioState.Stops"/>.</summary>
    public const string StopTag = "risk/stop";

    /// <summary>Relative difference below which a resting stop already is the approved one.</summary>
    private const double SameLevel = 1e-9;

    public async Task<OrderInstruction[]> RouteAsync(RiskVerdictRecord[] approved, PortfolioState portfolio) =>
        (settings.Chosen ? await ChooseAllAsync(approved, portfolio) : NaiveAll(approved, portfolio)).ToArray();

    /// <summary>
    /// The approved orders first (so at the venue an entry fills before its stop is checked on the same bar),
    /// then the stops: a resting stop that matches the approved one stays, one that differs is cancelled and
    /// replaced, one whose position goes flat is cancelled.
    /// </summary>
    public async Task<OrderInstruction[]> RouteWithStopsAsync(RiskReview review, PortfolioState portfolio)
    {
        var orders = settings.Chosen ? await ChooseAllAsync(review.Verdicts, portfolio) : NaiveAll(review.Verdicts, portfolio);
        SyncStops(review.Stops, portfolio.Stops, orders);
        return orders.ToArray();
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

    private static List<OrderInstruction> NaiveAll(RiskVerdictRecord[] approved, PortfolioState portfolio)
    {
        var orders = new List<OrderInstruction>(approved.Length + 2);
        foreach (var verdict in approved)
            if (verdict.Decision != VerdictKind.Veto && verdict.ApprovedQuantity > 0) orders.Add(Naive(verdict, portfolio));
        return orders;
    }

    private async Task<List<OrderInstruction>> ChooseAllAsync(RiskVerdictRecord[] approved, PortfolioState portfolio)
    {
        var orders = new List<OrderInstruction>(approved.Length + 2);
        foreach (var verdict in approved)
            if (verdict.Decision != VerdictKind.Veto && verdict.ApprovedQuantity > 0) orders.Add(await ChooseAsync(verdict, portfolio));
        return orders;
    }

    private static bool Reduces(RiskVerdictRecord verdict, PortfolioState portfolio)
    {
        var p = verdict.Proposal;
        var held = portfolio.Positions.TryGetValue(p.Symbol, out var q) ? q : 0;
        return held != 0 && Math.Sign(held) != p.Side.Sign() && verdict.ApprovedQuantity <= Math.Abs(held) + 1e-12;
    }

    /// <summary>The original rule, kept as the default: market for reducing, urgent or large orders, a limit at the last close otherwise.</summary>
    internal static OrderInstruction Naive(RiskVerdictRecord verdict, PortfolioState portfolio)
    {
        var p = verdict.Proposal;
        var reducing = Reduces(verdict, portfolio);
        var notional = verdict.ApprovedQuantity * p.ReferencePrice;
        var urgent = p.Horizon < PassiveFromHorizonBars * portfolio.BarDuration;
        var passive = !reducing && !urgent && portfolio.Equity > 0 && notional < PassiveBelowEquityShare * portfolio.Equity;
        var why = reducing ? "naive: reduces the position"
            : urgent ? $"naive: view shorter than {PassiveFromHorizonBars} bars"
            : passive ? $"naive: under {PassiveBelowEquityShare:P0} of equity for a longer view, rest at the last close"
            : $"naive: at least {PassiveBelowEquityShare:P0} of equity";
        return passive
            ? new OrderInstruction(p.Symbol, p.Side, verdict.ApprovedQuantity, OrderType.Limit, p.ReferencePrice, $"{p.Origin}/limit") { Algorithm = "limit", Reason = why }
            : new OrderInstruction(p.Symbol, p.Side, verdict.ApprovedQuantity, OrderType.Market, null, $"{p.Origin}/market") { Algorithm = "market", Reason = why };
    }

    /// <summary>Asks the planner, with volume and volatility from the symbol's recent decision bars (all closed by now).</summary>
    private async Task<OrderInstruction> ChooseAsync(RiskVerdictRecord verdict, PortfolioState portfolio)
    {
        var p = verdict.Proposal;
        var bars = await GrainFactory.GetGrain<IMarketGrain>($"{this.GetPrimaryKeyString()}/{p.Symbol}").RecentAsync(settings.LookbackBars);
        var context = new OrderContext(verdict.ApprovedQuantity, MeanVolume(bars), portfolio.BarDuration, p.Horizon, settings.SpreadBps,
            VolatilityBps(bars), Reduces(verdict, portfolio), settings.HasVolumeProfile);
        var choice = settings.Planner.Choose(context);
        // The venue sees a market order for now; the firm's driver works the rest of the schedule (FirmStrategy).
        var type = choice.Algorithm == AlgorithmKind.LimitPeg ? OrderType.Limit : OrderType.Market;
        return new OrderInstruction(p.Symbol, p.Side, verdict.ApprovedQuantity, type, type == OrderType.Limit ? p.ReferencePrice : null, $"{p.Origin}/{choice.Name}")
        {
            Algorithm = choice.Name,
            Horizon = choice.Algorithm == AlgorithmKind.Market ? TimeSpan.Zero : choice.Horizon,
            Reason = choice.Reason,
        };
    }

    internal static double MeanVolume(Bar[] bars)
    {
        double sum = 0;
        var n = 0;
        foreach (var b in bars)
            if (!b.IsFiller) { sum += b.Volume; n++; }
        return n > 0 ? sum / n : 0;
    }

    internal static double VolatilityBps(Bar[] bars) => ParentOrderSimulator.CloseToCloseVolatility(bars, 0, bars.Length) * 10_000;
}
