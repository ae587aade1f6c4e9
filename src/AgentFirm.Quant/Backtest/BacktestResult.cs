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
}
