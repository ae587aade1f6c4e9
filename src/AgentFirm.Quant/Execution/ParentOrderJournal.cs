using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Execution;

/// <summary>
/// One parent order a strategy sent inside a backtest: what was decided (side, quantity, the mark at the decision),
/// by which algorithm, the venue orders that worked it, and when it ended (its children filled or cancelled and
/// nothing left to send) at what mark.
/// </summary>
public sealed class JournalParent(int id, string symbol, OrderSide side, double quantity, string algorithm, DateTimeOffset decisionTime,
    double decisionPrice, string? reason)
{
    public int Id { get; } = id;
    public string Symbol { get; } = symbol;
    public OrderSide Side { get; } = side;
    public double Quantity { get; } = quantity;
    public string Algorithm { get; } = algorithm;
    public DateTimeOffset DecisionTime { get; } = decisionTime;
    public double DecisionPrice { get; } = decisionPrice;
    public string? Reason { get; } = reason;
    /// <summary>Venue order ids that worked this parent, in the order they were sent.</summary>
    public List<long> Children { get; } = new();
    /// <summary>True while a schedule (<see cref="ParentOrderDesk"/>) still has slices to send.</summary>
    public bool Scheduling { get; internal set; }
    public DateTimeOffset? EndTime { get; private set; }
    public double EndPrice { get; private set; } = double.NaN;

    internal void End(DateTimeOffset time, double price)
    {
        EndTime = time;
        EndPrice = price;
    }
}

/// <summary>A parent order and its implementation shortfall.</summary>
public sealed record ParentShortfall(JournalParent Parent, ImplementationShortfall Shortfall);

/// <summary>Implementation shortfall of one algorithm's parents in a run.</summary>
/// <param name="FilledShare">Filled quantity over ordered quantity, weighted by decision notional.</param>
/// <param name="MeanBps">Mean of the parents' shortfall against the decision price (<see cref="ImplementationShortfall.TotalBps"/>).</param>
/// <param name="NotionalWeightedBps">Total shortfall over total decision notional, in bps: what the algorithm cost the run per unit traded.</param>
/// <param name="MeanArrivalBps">Mean shortfall against the arrival price (leaves out the delay before the venue).</param>
public sealed record AlgorithmShortfall(string Algorithm, int Parents, double Notional, double FilledShare, double MeanBps, double NotionalWeightedBps,
    double MeanArrivalBps, double TotalCost);

/// <summary>
/// Records the parent orders a strategy sends during a backtest and measures each one's implementation shortfall
/// afterwards from the run's fills (Perold 1988; see <see cref="ImplementationShortfall"/>).
/// Decision price: the symbol's mark when the parent was sent. Arrival price: the reference price (the bar open the
/// engine fills against) of the parent's first taker fill; for a parent whose first fill was passive, or that never
/// filled, the decision price (a resting order reaches the book at the price it rests at). End price: the mark when
/// the strategy first saw the parent finished; a parent still open when the run ends is marked at its last close.
/// The unfilled part (cancelled, superseded before it was sent, rejected) carries the opportunity cost up to the end.
/// </summary>
public sealed class ParentOrderJournal
{
    private readonly List<JournalParent> _all = new();
    private readonly List<JournalParent> _open = new();

    public IReadOnlyList<JournalParent> Parents => _all;

    /// <summary>Starts a parent decided now, priced at the symbol's current mark.</summary>
    public JournalParent Open(IStrategyContext context, string symbol, OrderSide side, double quantity, string algorithm, string? reason)
    {
        var parent = new JournalParent(_all.Count + 1, symbol, side, quantity, algorithm, context.Now, context.Portfolio.MarkPrice(symbol), reason);
        _all.Add(parent);
        _open.Add(parent);
        return parent;
    }

    /// <summary>Ends every parent with nothing left to send and no child resting at the venue, at the current mark.</summary>
    public void Settle(IStrategyContext context)
    {
        for (var n = _open.Count - 1; n >= 0; n--)
        {
            var parent = _open[n];
            if (parent.Scheduling || Resting(context, parent)) continue;
            parent.End(context.Now, context.Portfolio.MarkPrice(parent.Symbol));
            _open.RemoveAt(n);
        }
    }

    private static bool Resting(IStrategyContext context, JournalParent parent)
    {
        foreach (var wo in context.OpenOrders)
            if (parent.Children.Contains(wo.Order.Id)) return true;
        return false;
    }

    /// <summary>Each parent's shortfall from the run's fills; <paramref name="lastClose"/> marks parents still open at the end.</summary>
    public IReadOnlyList<ParentShortfall> Measure(IReadOnlyList<Fill> fills, Func<string, double> lastClose)
    {
        var parentOf = new Dictionary<long, JournalParent>();
        foreach (var p in _all)
            foreach (var child in p.Children) parentOf[child] = p;
        var byParent = new Dictionary<JournalParent, List<ChildFill>>();
        foreach (var f in fills)
            if (parentOf.TryGetValue(f.OrderId, out var p))
            {
                if (!byParent.TryGetValue(p, out var list)) byParent[p] = list = new List<ChildFill>();
                // The engine's fill price already holds spread and slippage; SlippageCost is what they cost against its reference.
                list.Add(new ChildFill(f.Time, f.Quantity, f.Price, f.Fee, f.SlippageCost, f.IsMaker));
            }
        var result = new List<ParentShortfall>(_all.Count);
        foreach (var p in _all)
        {
            var own = byParent.GetValueOrDefault(p) ?? [];
            var arrival = own is [{ IsMaker: false } first, ..] ? first.Price - p.Side.Sign() * first.ImpactCost / first.Quantity : p.DecisionPrice;
            var end = p.EndTime is null ? lastClose(p.Symbol) : p.EndPrice;
            var shortfall = ImplementationShortfall.From(p.Side, p.Quantity, p.DecisionPrice, arrival, end, own);
            result.Add(new ParentShortfall(p, shortfall));
        }
        return result;
    }

    /// <summary>Per algorithm, in order of first use.</summary>
    public static IReadOnlyList<AlgorithmShortfall> ByAlgorithm(IReadOnlyList<ParentShortfall> parents) =>
        parents.GroupBy(p => p.Parent.Algorithm, StringComparer.Ordinal).Select(g =>
        {
            var notional = g.Sum(p => p.Shortfall.Quantity * p.Shortfall.DecisionPrice);
            var cost = g.Sum(p => p.Shortfall.Total);
            return new AlgorithmShortfall(g.Key, g.Count(), notional,
                notional > 0 ? g.Sum(p => p.Shortfall.FilledShare * p.Shortfall.Quantity * p.Shortfall.DecisionPrice) / notional : 0,
                g.Average(p => p.Shortfall.TotalBps), notional > 0 ? cost / notional * 10_000 : 0, g.Average(p => p.Shortfall.ArrivalBps), cost);
        }).ToList();

    /// <summary>One row per parent (report folder's parents.csv); costs in bps of the parent's decision notional.</summary>
    public static string Csv(IReadOnlyList<ParentShortfall> parents)
    {
        var csv = new StringBuilder("decision_time,symbol,side,algorithm,quantity,filled,decision_price,arrival_price,average_fill,end_time,end_price,fees,delay_bps,trading_bps,opportunity_bps,fees_bps,shortfall_bps,arrival_shortfall_bps,children,reason\n");
        foreach (var (p, s) in parents)
        {
            var paper = s.Quantity * s.DecisionPrice;
            string[] row =
            [
                CsvFormat.Timestamp(p.DecisionTime), p.Symbol, p.Side.ToString().ToLowerInvariant(), CsvFormat.Field(p.Algorithm),
                CsvFormat.Number(s.Quantity), CsvFormat.Number(s.FilledQuantity), CsvFormat.Number(s.DecisionPrice), CsvFormat.Number(s.ArrivalPrice),
                CsvFormat.Number(s.FilledQuantity > 0 ? s.AverageFillPrice : double.NaN), CsvFormat.Timestamp(p.EndTime), CsvFormat.Number(s.EndPrice), CsvFormat.Number(s.Fees),
                Bps(s.DelayCost, paper), Bps(s.TradingCost, paper), Bps(s.OpportunityCost, paper), Bps(s.Fees, paper), Bps(s.Total, paper),
                s.ArrivalBps.ToString("F2", CultureInfo.InvariantCulture), p.Children.Count.ToString(CultureInfo.InvariantCulture), CsvFormat.Field(p.Reason),
            ];
            csv.AppendJoin(',', row).Append('\n');
        }
        return csv.ToString();
    }

    /// <summary>report.json's "execution": parents and shortfall per algorithm.</summary>
    public static JsonObject Json(IReadOnlyList<ParentShortfall> parents)
    {
        var algorithms = new JsonArray();
        foreach (var a in ByAlgorithm(parents))
            algorithms.Add(new JsonObject
            {
                ["algorithm"] = a.Algorithm,
                ["parents"] = a.Parents,
                ["decision_notional"] = Math.Round(a.Notional, 2),
                ["filled_share"] = Math.Round(a.FilledShare, 4),
                ["mean_shortfall_bps"] = Math.Round(a.MeanBps, 2),
                ["notional_weighted_shortfall_bps"] = Math.Round(a.NotionalWeightedBps, 2),
                ["mean_arrival_shortfall_bps"] = Math.Round(a.MeanArrivalBps, 2),
                ["total_cost"] = Math.Round(a.TotalCost, 2),
            });
        return new JsonObject
        {
            ["benchmark"] = "implementation shortfall against the mark when the parent was sent (Perold 1988); arrival = the bar open its first taker fill was priced from",
            ["parents"] = parents.Count,
            ["by_algorithm"] = algorithms,
        };
    }

    /// <summary>One line per algorithm for the run summary.</summary>
    public static string Describe(IReadOnlyList<ParentShortfall> parents) =>
        parents.Count == 0
            ? "execution: no parent orders"
            : "execution shortfall: " + string.Join("; ", ByAlgorithm(parents).Select(a =>
                string.Create(CultureInfo.InvariantCulture, $"{a.Algorithm} {a.Parents} parent(s), {a.NotionalWeightedBps:F1} bp of notional ({a.FilledShare:P0} filled)")));

    private static string Bps(double cost, double paper) => (paper > 0 ? cost / paper * 10_000 : 0).ToString("F2", CultureInfo.InvariantCulture);
}
