using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

public enum OrderEventKind { Rejected, Cancelled, Shrunk, Unfilled }

/// <summary>Anything that happened to an order other than a fill, with the reason.</summary>
public sealed record OrderEvent(DateTimeOffset Time, long OrderId, string Symbol, OrderEventKind Kind, string Reason);

/// <summary>The account after each decision time.</summary>
public sealed class EquityCurve(int capacity)
{
    public List<DateTimeOffset> Times { get; } = new(capacity);
    public List<double> Equity { get; } = new(capacity);
    public List<double> Cash { get; } = new(capacity);
    public List<double> GrossExposure { get; } = new(capacity);
    public List<double> NetExposure { get; } = new(capacity);

    public int Count => Times.Count;

    internal void Add(DateTimeOffset time, double equity, double cash, double gross, double net)
    {
        Times.Add(time);
        Equity.Add(equity);
        Cash.Add(cash);
        GrossExposure.Add(gross);
        NetExposure.Add(net);
    }
}

/// <summary>
/// What the warm-up before <see cref="BacktestOptions.TradeFrom"/> consisted of: the first warm-up bar
/// (earliest open over the symbols), the decision steps and each symbol's bars the strategy saw before
/// trading began, and the orders it sent meanwhile, which were dropped before the venue.
/// </summary>
public sealed record WarmupSummary(
    DateTimeOffset? TradeFrom,
    DateTimeOffset? FirstBar,
    int Steps,
    IReadOnlyDictionary<string, int> BarsBySymbol,
    int SuppressedOrders)
{
    public static WarmupSummary None { get; } = new(null, null, 0, new Dictionary<string, int>(), 0);
}

/// <summary>What a backtest produced: the full record, from which every metric derives.</summary>
public sealed record BacktestResult(
    string Strategy,
    BacktestOptions Options,
    Timeframe Timeframe,
    IReadOnlyList<Instrument> Instruments,
    EquityCurve Curve,
    IReadOnlyList<Fill> Fills,
    IReadOnlyList<FundingPayment> Funding,
    IReadOnlyList<RoundTrip> RoundTrips,
    IReadOnlyList<OrderEvent> OrderEvents,
    IReadOnlyDictionary<string, double> FinalPositions,
    double FinalCash,
    long BarEvents)
{
    public double FinalEquity => Curve.Count > 0 ? Curve.Equity[^1] : Options.InitialCash;

    /// <summary>The warm-up before the scored span; <see cref="WarmupSummary.None"/> when there was none.</summary>
    public WarmupSummary Warmup { get; init; } = WarmupSummary.None;

    /// <summary>Equity at every sub-bar close inside the decision bars (empty without sub-bars).</summary>
    public IntrabarPath Intrabar { get; init; } = IntrabarPath.None;
}

/// <summary>
/// The account marked at each sub-bar close strictly inside a decision bar (the decision closes are in the
/// curve), and how many traded decision bars had finer data and how many had none.
/// </summary>
public sealed record IntrabarPath(IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<double> Equity, int BarsWithSubBars, int BarsWithoutSubBars)
{
    public static IntrabarPath None { get; } = new([], [], 0, 0);
}
