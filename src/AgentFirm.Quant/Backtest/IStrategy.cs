using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

/// <summary>
/// A trading strategy as the engine sees it. The engine calls <see cref="OnBarAsync"/> once per decision
/// time (the close of one or more bars); the strategy reads as-of data and the portfolio through the
/// context and sends orders. Async so that a strategy backed by agents (grains, LLM minds) plugs in as is.
/// </summary>
public interface IStrategy
{
    string Name { get; }

    ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken);
}

/// <summary>What a strategy may see and do at a decision time. Nothing here reaches past <see cref="Now"/>.</summary>
public interface IStrategyContext
{
    /// <summary>The decision time: the close time of the bars that just completed.</summary>
    DateTimeOffset Now { get; }

    IReadOnlyList<Instrument> Instruments { get; }

    /// <summary>
    /// True while the bars are warm-up (before <see cref="BacktestOptions.TradeFrom"/>): orders sent now
    /// never reach the venue. A strategy that acts once (buy-and-hold) waits for this to turn false.
    /// </summary>
    bool IsWarmingUp { get; }

    /// <summary>Symbols whose bar closed at <see cref="Now"/> (others may be in a data gap).</summary>
    IReadOnlyList<string> Updated { get; }

    /// <summary>The symbol's bars known at <see cref="Now"/>.</summary>
    AsOfSeries<Bar> Bars(string symbol);

    /// <summary>The symbol's finer bars (<see cref="MarketSeries.SubBars"/>) known at <see cref="Now"/>; null when the run has none for it.</summary>
    AsOfSeries<Bar>? SubBars(string symbol);

    IPortfolioView Portfolio { get; }

    IReadOnlyCollection<WorkingOrder> OpenOrders { get; }

    /// <summary>Every fill so far, oldest first (all of them happened at or before <see cref="Now"/>).</summary>
    IReadOnlyList<Fill> Fills { get; }

    /// <summary>Every funding settlement so far, oldest first.</summary>
    IReadOnlyList<FundingPayment> FundingPayments { get; }

    /// <summary>
    /// Sends an order; it reaches the venue after the configured latency. Returns its id. During warm-up
    /// the order is dropped and counted instead, and the id returned is negative.
    /// </summary>
    long Submit(string symbol, OrderSide side, double quantity, OrderType type = OrderType.Market, double? limitPrice = null, double? stopPrice = null, string? tag = null, bool reduceOnly = false);

    void Cancel(long orderId);
}

/// <summary>
/// A strategy that also watches the finer bars inside a decision bar (<see cref="MarketSeries.SubBars"/>):
/// the engine calls <see cref="OnIntrabarAsync"/> after every sub-bar close before the decision bar's own
/// close, with <see cref="IStrategyContext.Now"/> at that sub-bar's close and the account marked there.
/// What it submits reaches the venue from the next sub-bar on. This is where a hard limit acts between
/// decisions; it is never called during warm-up or for the last sub-bar (the decision covers that one).
/// </summary>
public interface IIntrabarStrategy
{
    ValueTask OnIntrabarAsync(IStrategyContext context, CancellationToken cancellationToken);
}

/// <summary>The account as a strategy sees it, marked at the latest known closes.</summary>
public interface IPortfolioView
{
    double Cash { get; }
    double Equity { get; }
    double PositionQuantity(string symbol);
    /// <summary>Average entry price of the open position (0 when flat).</summary>
    double AveragePrice(string symbol);
    double MarkPrice(string symbol);
    double GrossExposure { get; }
}

/// <summary>An order waiting at the venue, with what has filled so far.</summary>
public sealed class WorkingOrder(Order order, int eligibleFromBar)
{
    public Order Order { get; } = order;

    /// <summary>Index of the first bar of the order's symbol on which it may fill.</summary>
    public int EligibleFromBar { get; } = eligibleFromBar;

    public double FilledQuantity { get; internal set; }
    public double RemainingQuantity => Order.Quantity - FilledQuantity;

    /// <summary>A stop that has traded becomes a market order for what remains.</summary>
    public bool Triggered { get; internal set; }

    /// <summary>Submission time: the order never fills on a (sub-)bar that opened before it was sent.</summary>
    public DateTimeOffset NotBefore { get; internal init; }

    /// <summary>False until the order's first eligible bar was processed: then a limit is resting, not arriving.</summary>
    public bool HasArrived { get; internal set; }
}
