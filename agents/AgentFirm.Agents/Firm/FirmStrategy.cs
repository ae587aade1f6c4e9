using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;

namespace AgentFirm.Agents.Firm;

/// <summary>
/// Runs the whole firm inside the backtest engine: at each decision time it hands the meta-controller
/// grain what became known (bars, headlines, series, the venue's fills and funding) and sends the
/// orders that come back, after risk, to the engine's simulated venue. The engine stays the single
/// clock and the venue; the grains decide. Transient silo failures are retried: a step is idempotent.
/// </summary>
public sealed class FirmStrategy(IGrainFactory grains, string runId, SideDataFeed? feed = null) : IStrategy, IIntrabarStrategy
{
    private const int MaxAttempts = 5;
    private readonly SideDataFeed _feed = feed ?? new SideDataFeed();
    private readonly Dictionary<string, DateTimeOffset> _lastBarClose = new(StringComparer.OrdinalIgnoreCase);
    private IMetaControllerGrain? _meta;
    private long _step;
    private int _fillCursor;
    private int _fundingCursor;
    private IRiskGrain? _risk;
    private double _equityFloor = double.NegativeInfinity;
    private readonly List<GuardEvent> _guardEvents = new();
    private readonly List<OrderInstruction> _sentBetweenDecisions = new();
    /// <summary>Parent orders the execution agent gave a schedule (its chosen mode); empty under the naive default.</summary>
    private readonly ParentOrderDesk _desk = new();
    private readonly ParentOrderJournal _parents = new();

    public string Name => "firm";
    public string RunId => runId;

    /// <summary>
    /// On a cluster: keep the run's history so that a firm whose silo died is replayed into fresh grains
    /// (<see cref="FirmReplay"/>) instead of carrying on without what it had learned.
    /// </summary>
    public bool Replayable { get; init; }

    /// <summary>The replaying driver's counts; null unless <see cref="Replayable"/>.</summary>
    public FirmReplay? Replay { get; private set; }

    /// <summary>The record of the latest decision step (for the dashboard and tests).</summary>
    public DecisionRecord? LastDecision { get; private set; }

    /// <summary>What the risk agent did between decisions (flattened after a limit tripped, tightened stops), oldest first.</summary>
    public IReadOnlyList<GuardEvent> GuardEvents => _guardEvents;

    /// <summary>Every parent order the firm sent after warm-up (protective stops and cancels apart), for its implementation shortfall.</summary>
    public ParentOrderJournal Parents => _parents;

    public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        if (_meta is null)
        {
            _meta = grains.GetGrain<IMetaControllerGrain>(runId);
            var setup = new FirmSetup(context.Instruments.Select(i => i.Symbol).ToArray(), context.Instruments[0].QuoteCurrency,
                context.Portfolio.Equity, context.Bars(context.Instruments[0].Symbol).Latest.Duration, context.Now);
            if (Replayable) await (Replay = new FirmReplay(grains, runId, setup)).StartAsync(cancellationToken);
            else await WithRetry(() => _meta.StartAsync(setup), cancellationToken);
        }

        // A new decision re-plans from the position as it is: what a schedule has not sent yet is dropped.
        if (_desk.Active > 0) _desk.SupersedeAll(context);
        var bars = new SymbolBar[context.Updated.Count];
        for (var i = 0; i < bars.Length; i++)
        {
            var symbol = context.Updated[i];
            var bar = context.Bars(symbol).Latest;
            bars[i] = new SymbolBar(symbol, bar);
            _lastBarClose[symbol] = bar.CloseTime;
        }
        var (headlines, series) = _feed.Release(context.Now);
        var input = new DecisionInput(
            new MarketUpdate(++_step, context.Now, bars, headlines, series),
            Snapshot(context),
            context.Fills.Skip(_fillCursor).ToArray(),
            context.FundingPayments.Skip(_fundingCursor).ToArray(),
            _fillCursor,
            _fundingCursor) { WarmingUp = context.IsWarmingUp, BetweenDecisions = _sentBetweenDecisions.Count == 0 ? [] : _sentBetweenDecisions.ToArray(), ReplayableRun = Replayable };

        var output = Replay is null ? await WithRetry(() => _meta.DecideAsync(input), cancellationToken) : await Replay.DecideAsync(input, cancellationToken);
        _sentBetweenDecisions.Clear();
        _fillCursor = context.Fills.Count;
        _fundingCursor = context.FundingPayments.Count;
        foreach (var order in output.Orders) Send(context, order);
        _parents.Settle(context);
        LastDecision = output.Record;
        _equityFloor = output.Record.EquityFloor;
    }

    /// <summary>
    /// After each finer bar inside a decision bar: the risk agent is asked only when equity fell below the
    /// floor it gave at the last decision, or when the stops resting could together lose more than the
    /// budget left above that floor (a position entered at a gap, a stop missing). Otherwise nothing is sent.
    /// </summary>
    public async ValueTask OnIntrabarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        if (_meta is null || context.IsWarmingUp || double.IsNegativeInfinity(_equityFloor)) return;
        if (_desk.Active > 0) _desk.Advance(context);
        _parents.Settle(context);
        var equity = context.Portfolio.Equity;
        if (equity >= _equityFloor && LossAtStops(context) <= equity - _equityFloor) return;
        _risk ??= grains.GetGrain<IRiskGrain>(runId);
        var snapshot = Snapshot(context);
        var action = Replay is null ? await WithRetry(() => _risk.GuardAsync(snapshot), cancellationToken) : await Replay.GuardAsync(snapshot, cancellationToken);
        if (action.Reason is not null && _desk.Active > 0) _desk.SupersedeAll(context); // a flatten must not be undone by slices still due
        foreach (var order in action.Orders) Send(context, order);
        _parents.Settle(context);
        _sentBetweenDecisions.AddRange(action.Orders);
        _equityFloor = action.EquityFloor;
        if (action.Reason is not null || action.Orders.Length > 0)
            _guardEvents.Add(new GuardEvent(context.Now, equity, action.Reason ?? "stops tightened to the loss budget left", action.Orders.Length));
    }

    /// <summary>What all positions would lose from the marks if every resting stop filled at its price (infinite for an unprotected position).</summary>
    private static double LossAtStops(IStrategyContext context)
    {
        double loss = 0;
        foreach (var instrument in context.Instruments)
        {
            var held = context.Portfolio.PositionQuantity(instrument.Symbol);
            if (held == 0) continue;
            var covered = 0.0;
            var worst = double.NegativeInfinity;
            foreach (var wo in context.OpenOrders)
            {
                if (!wo.Order.ReduceOnly || wo.Order.Type != OrderType.Stop || wo.Order.Side.Sign() == Math.Sign(held)
                    || !string.Equals(wo.Order.Symbol, instrument.Symbol, StringComparison.OrdinalIgnoreCase)) continue;
                covered += wo.RemainingQuantity;
                worst = Math.Max(worst, Math.Sign(held) * (context.Portfolio.MarkPrice(instrument.Symbol) - wo.Order.StopPrice!.Value));
            }
            if (covered < Math.Abs(held) * (1 - 1e-9)) return double.PositiveInfinity;
            loss += Math.Abs(held) * Math.Max(0, worst);
        }
        return loss;
    }

    private void Send(IStrategyContext context, OrderInstruction order)
    {
        if (order.CancelOrderId > 0) context.Cancel(order.CancelOrderId);
        else if (order.Horizon > TimeSpan.Zero && !context.IsWarmingUp && Scheduled(order.Algorithm) is { } algorithm)
            _desk.Start(context, order.Symbol, order.Side, order.Quantity, algorithm, order.Horizon, order.Tag, Parent(context, order));
        else
        {
            var id = context.Submit(order.Symbol, order.Side, order.Quantity, order.Type, order.LimitPrice, order.StopPrice, order.Tag, order.ReduceOnly);
            if (!context.IsWarmingUp && order.Type != OrderType.Stop) Parent(context, order).Children.Add(id);
        }
    }

    /// <summary>Journals an order as a parent; the risk agent's own exits carry no algorithm.</summary>
    private JournalParent Parent(IStrategyContext context, OrderInstruction order) =>
        _parents.Open(context, order.Symbol, order.Side, order.Quantity, order.Algorithm ?? (order.ReduceOnly ? "risk-exit" : "market"), order.Reason);

    private static AlgorithmKind? Scheduled(string? algorithm) => algorithm switch
    {
        "twap" => AlgorithmKind.Twap,
        "vwap" => AlgorithmKind.Vwap,
        "limit-peg" => AlgorithmKind.LimitPeg,
        _ => null,
    };

    private PortfolioState Snapshot(IStrategyContext context)
    {
        var positions = new Dictionary<string, double>(context.Instruments.Count);
        var marks = new Dictionary<string, double>(context.Instruments.Count);
        foreach (var instrument in context.Instruments)
        {
            positions[instrument.Symbol] = context.Portfolio.PositionQuantity(instrument.Symbol);
            marks[instrument.Symbol] = context.Portfolio.MarkPrice(instrument.Symbol);
        }
        return new PortfolioState(context.Now, context.Portfolio.Cash, context.Portfolio.Equity, positions, marks, new Dictionary<string, DateTimeOffset>(_lastBarClose), context.Bars(context.Instruments[0].Symbol).Latest.Duration)
        {
            Stops = RestingStops(context),
            Working = WorkingEntries(context),
        };
    }

    private static Dictionary<string, double>? WorkingEntries(IStrategyContext context)
    {
        Dictionary<string, double>? working = null;
        foreach (var wo in context.OpenOrders)
        {
            if (wo.Order.ReduceOnly) continue;
            working ??= new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
            working[wo.Order.Symbol] = working.GetValueOrDefault(wo.Order.Symbol) + wo.Order.Side.Sign() * wo.RemainingQuantity;
        }
        return working;
    }

    private static ProtectiveStop[] RestingStops(IStrategyContext context)
    {
        var count = 0;
        foreach (var wo in context.OpenOrders)
            if (wo.Order.ReduceOnly && wo.Order.Type == OrderType.Stop) count++;
        if (count == 0) return [];
        var stops = new ProtectiveStop[count];
        var n = 0;
        foreach (var wo in context.OpenOrders)
            if (wo.Order.ReduceOnly && wo.Order.Type == OrderType.Stop)
                stops[n++] = new ProtectiveStop(wo.Order.Symbol, wo.Order.Id, wo.Order.Side, wo.RemainingQuantity, wo.Order.StopPrice!.Value);
        return stops;
    }

    /// <summary>Retries a grain call that failed because a silo went away; the grain reactivates elsewhere.</summary>
    private static async Task<T> WithRetry<T>(Func<Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }

    private static Task WithRetry(Func<Task> call, CancellationToken ct) => WithRetry(async () => { await call(); return true; }, ct);

    public static bool IsTransient(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
        || ex.InnerException is not null && IsTransient(ex.InnerException);
}

/// <summary>One action of the risk agent between decisions: when, at what equity, why, and how many orders it sent.</summary>
public sealed record GuardEvent(DateTimeOffset Time, double Equity, string Reason, int Orders);
