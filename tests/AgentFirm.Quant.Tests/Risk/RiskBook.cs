using AgentFirm.Core;
using AgentFirm.Quant.Risk;

namespace AgentFirm.Quant.Tests.Risk;

/// <summary>Hand-made books for risk tests: 100,000 of equity, BTC at 50,000, ETH at 2,000, SOL at 100, hourly bars.</summary>
internal static class RiskBook
{
    public static readonly DateTimeOffset T0 = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public const double Equity = 100_000;

    public static readonly IReadOnlyDictionary<string, double> Marks =
        new Dictionary<string, double> { ["BTC"] = 50_000, ["ETH"] = 2_000, ["SOL"] = 100 };

    public static PortfolioSnapshot Snapshot(
        double equity = Equity,
        DateTimeOffset? time = null,
        IReadOnlyDictionary<string, double>? positions = null,
        IReadOnlyDictionary<string, DateTimeOffset>? lastBarClose = null,
        IReadOnlyDictionary<string, double>? marks = null)
    {
        var t = time ?? T0;
        return new PortfolioSnapshot(
            t,
            equity,
            positions ?? new Dictionary<string, double>(),
            marks ?? Marks,
            lastBarClose ?? (marks ?? Marks).Keys.ToDictionary(s => s, _ => t),
            Timeframe.Hour);
    }

    public static Dictionary<string, double> Holding(params (string Symbol, double Quantity)[] positions) =>
        positions.ToDictionary(p => p.Symbol, p => p.Quantity);

    public static OrderProposal Buy(string symbol, double quantity, double riskPerUnit = 100) =>
        new(symbol, OrderSide.Buy, quantity, Marks.GetValueOrDefault(symbol, 1), riskPerUnit, "test");

    public static OrderProposal Sell(string symbol, double quantity, double riskPerUnit = 100) =>
        new(symbol, OrderSide.Sell, quantity, Marks.GetValueOrDefault(symbol, 1), riskPerUnit, "test");

    public static RiskVerdict ReviewOne(this RiskEngine engine, PortfolioSnapshot snapshot, OrderProposal proposal) =>
        Assert.Single(engine.Review(snapshot, [proposal]));
}
