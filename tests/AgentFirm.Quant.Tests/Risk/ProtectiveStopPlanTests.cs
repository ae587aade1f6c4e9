using AgentFirm.Core;
using AgentFirm.Quant.Risk;

namespace AgentFirm.Quant.Tests.Risk;

/// <summary>Stop levels across the book and the budget they must fit, worked by hand.</summary>
public sealed class ProtectiveStopPlanTests
{
    private static readonly Dictionary<string, double> Marks = new() { ["BTC-USDT"] = 100, ["ETH-USDT"] = 50 };

    /// <summary>
    /// BTC: 1 unit just bought at 100 with a 10 ATR stop (loses 10 at its stop); ETH: 2 units resting on a stop at
    /// 45 (loses 2 x 5 = 10). Together 20: within a budget of 30 they stay at 90 and 45; with 10 left both
    /// distances halve, to 95 and 47.5, so that being stopped everywhere loses exactly the 10.
    /// </summary>
    [Theory]
    [InlineData(30, 90, 45)]
    [InlineData(10, 95, 47.5)]
    public void Stops_sit_at_the_sizing_level_and_all_tighten_together_to_the_budget_left(double budget, double btcStop, double ethStop)
    {
        var levels = ProtectiveStops.Plan(
            new Dictionary<string, double> { ["BTC-USDT"] = 1, ["ETH-USDT"] = 2 }, Marks,
            new Dictionary<string, StopBasis> { ["BTC-USDT"] = new(100, 10) },
            [new RestingStop("ETH-USDT", 7, OrderSide.Sell, 2, 45)], budget);

        Assert.Equal(btcStop, levels.Single(l => l.Symbol == "BTC-USDT").StopPrice, 1e-9);
        Assert.Equal(ethStop, levels.Single(l => l.Symbol == "ETH-USDT").StopPrice, 1e-9);
        Assert.All(levels, l => Assert.Equal(OrderSide.Sell, l.Side));
        Assert.Equal(2, levels.Single(l => l.Symbol == "ETH-USDT").Quantity);
    }

    [Fact]
    public void A_perpetual_short_gets_a_buy_stop_above_the_price_and_a_flat_symbol_none()
    {
        var levels = ProtectiveStops.Plan(new Dictionary<string, double> { ["BTC-USDT-PERP"] = -3, ["ETH-USDT"] = 0 },
            new Dictionary<string, double> { ["BTC-USDT-PERP"] = 100, ["ETH-USDT"] = 50 },
            new Dictionary<string, StopBasis> { ["BTC-USDT-PERP"] = new(100, 4) }, null, 1_000);

        var stop = Assert.Single(levels);
        Assert.Equal((OrderSide.Buy, 3.0, 104.0), (stop.Side, stop.Quantity, stop.StopPrice));
    }

    [Fact]
    public void A_position_with_no_stop_of_its_own_gets_its_share_of_the_budget()
    {
        var stop = Assert.Single(ProtectiveStops.Plan(new Dictionary<string, double> { ["BTC-USDT"] = 2 }, Marks, null, null, 12));

        Assert.Equal(100 - 12 / 2.0, stop.StopPrice, 1e-9);
    }

    /// <summary>
    /// Peak and day start 100,000, limits 15 % and 5 %: at 98,000 the day has 3,000 left and the drawdown 13,000,
    /// so the budget is 3,000 and the floor 95,000. Below it the daily lock trips between decisions, after which
    /// only the drawdown floor (85,000) is left to guard.
    /// </summary>
    [Fact]
    public void Between_decisions_the_floor_is_the_nearer_limit_and_crossing_it_trips_that_limit()
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var risk = new RiskEngine(new RiskLimits());
        risk.Observe(t0, 100_000);

        Assert.Equal(3_000, risk.RemainingLossBudget(98_000), 1e-6);
        Assert.Equal(95_000, risk.GuardFloor, 1e-6);
        Assert.Null(risk.CheckBetweenDecisions(t0.AddHours(1), 95_500));
        Assert.Contains("daily loss", risk.CheckBetweenDecisions(t0.AddHours(2), 94_900));
        Assert.Equal(0, risk.RemainingLossBudget(94_900));
        Assert.Equal(85_000, risk.GuardFloor, 1e-6);
        Assert.Contains("max drawdown", risk.CheckBetweenDecisions(t0.AddHours(3), 84_000));
        Assert.True(risk.Halted);
        Assert.Equal(double.NegativeInfinity, risk.GuardFloor);
    }
}
