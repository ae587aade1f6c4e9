using AgentFirm.Core;
using AgentFirm.Quant.Risk;
using AgentFirm.Quant.Sizing;

namespace AgentFirm.Quant.Tests.Sizing;

public sealed class VolatilityTargetSizerTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Bar Daily(int day, double close) => new(T0.AddDays(day), TimeSpan.FromDays(1), close, close, close, close, 1);

    [Fact]
    public void Rolling_volatility_is_the_annualised_sample_deviation_of_the_window_of_log_returns()
    {
        // Closes 100, 110, 99, 108.9: log returns ln 1.1, ln 0.9, ln 1.1; mean 0.0284200;
        // squared deviations 0.0044743 + 0.0178972 + 0.0044743 = 0.0268458; / 2 -> sd 0.1158573; x sqrt(365) = 2.2134502.
        var vol = new RollingVolatility(3, 365);
        Assert.Null(vol.Update(100));
        Assert.Null(vol.Update(110));
        Assert.Null(vol.Update(99));
        Assert.False(vol.IsReady);

        Assert.Equal(2.2134502273073706, vol.Update(108.9)!.Value, 12);
        Assert.True(vol.IsReady);
        // The window rolls: ln 1.1 drops out, ln 1.2 comes in.
        Assert.Equal(2.8186654386979546, vol.Update(108.9 * 1.2)!.Value, 12);
    }

    [Fact]
    public void Rolling_volatility_rejects_a_price_that_is_not_positive()
    {
        var vol = new RollingVolatility(3, 365);
        Assert.Throws<ArgumentOutOfRangeException>(() => vol.Update(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => vol.Update(0));
    }

    [Fact]
    public void Weight_is_direction_times_confidence_times_budget_times_target_over_asset_volatility()
    {
        var sizer = new VolatilityTargetSizer(new VolatilityTargetOptions { TargetVolatility = 0.4, VolatilityWindow = 3 }, Timeframe.Day);
        foreach (var (close, day) in new[] { 100, 110, 99, 108.9 }.Select((c, i) => (c, i))) sizer.Update("BTC", Daily(day, close));

        var target = sizer.Target(new AssetSignal("BTC", 0.5, 0.8), riskBudget: 0.8);

        // 0.5 x 0.8 x 0.8 x 0.4 / 2.2134502 = 0.0578283
        Assert.Equal(0.057828271185347654, target.Weight, 12);
        Assert.Equal(2.2134502273073706, target.AssetVolatility!.Value, 12);
        Assert.Equal("weight 0.0578 = direction 0.5 x confidence 0.8 x budget 0.8 x target vol 0.4 / asset vol 2.2135", target.Reason);
    }

    [Theory]
    [InlineData(1, 1, 1, 0.4, 0.1, 1.0, 1.0)]      // 4x clamped to the max weight
    [InlineData(-1, 1, 1, 0.4, 0.1, 1.0, -1.0)]    // and on the short side
    [InlineData(-0.5, 1, 0.5, 0.4, 0.8, 1.0, -0.125)]
    [InlineData(2, 1.5, 1, 0.4, 0.8, 1.0, 0.5)]    // direction and confidence clamped to 1
    [InlineData(double.NaN, 1, 1, 0.4, 0.8, 1.0, 0)]
    [InlineData(1, 1, 1, 0.4, 0, 1.0, 0)]          // zero volatility: no position, not an infinite one
    public void Weight_rule_clamps_and_treats_broken_inputs_as_no_position(double direction, double confidence, double budget, double targetVol, double assetVol, double maxWeight, double expected)
    {
        Assert.Equal(expected, VolatilityTargetSizer.Weight(direction, confidence, budget, targetVol, assetVol, maxWeight), 12);
    }

    [Fact]
    public void No_position_while_volatility_is_warming_up()
    {
        var sizer = new VolatilityTargetSizer(new VolatilityTargetOptions { VolatilityWindow = 3 }, Timeframe.Day);
        sizer.Update("ETH", Daily(0, 100));

        var target = sizer.Target(new AssetSignal("ETH", 1, 1), 1);

        Assert.Equal(0, target.Weight);
        Assert.Equal("no position: ETH volatility is not known yet (3 returns needed)", target.Reason);
    }

    [Fact]
    public void Sizer_is_as_of_appending_future_bars_never_changes_a_past_target()
    {
        var random = new Random(7);
        var closes = new List<double> { 100 };
        for (var i = 1; i < 120; i++) closes.Add(closes[^1] * Math.Exp(0.03 * (random.NextDouble() - 0.5)));
        var options = new VolatilityTargetOptions { VolatilityWindow = 10 };

        var full = new VolatilityTargetSizer(options, Timeframe.Day);
        var fullTargets = new List<double>();
        for (var i = 0; i < closes.Count; i++)
        {
            full.Update("BTC", Daily(i, closes[i]));
            fullTargets.Add(full.Target(new AssetSignal("BTC", 1, 0.7), 0.8).Weight);
        }

        foreach (var cut in new[] { 5, 11, 40, 119 })
        {
            var prefix = new VolatilityTargetSizer(options, Timeframe.Day);
            for (var i = 0; i < cut; i++) prefix.Update("BTC", Daily(i, closes[i]));
            Assert.Equal(fullTargets[cut - 1], prefix.Target(new AssetSignal("BTC", 1, 0.7), 0.8).Weight);
        }
    }

    [Fact]
    public void Bars_out_of_order_are_rejected()
    {
        var sizer = new VolatilityTargetSizer(new VolatilityTargetOptions(), Timeframe.Day);
        sizer.Update("BTC", Daily(2, 100));
        Assert.Throws<ArgumentException>(() => sizer.Update("BTC", Daily(1, 100)));
    }
}

public sealed class TargetOrdersTests
{
    private static PortfolioSnapshot Book(params (string Symbol, double Quantity)[] positions) => new(
        new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        100_000,
        positions.ToDictionary(p => p.Symbol, p => p.Quantity),
        new Dictionary<string, double> { ["BTC"] = 50_000, ["ETH"] = 2_000, ["SOL"] = 100 },
        new Dictionary<string, DateTimeOffset>(),
        Timeframe.Hour);

    private static readonly Dictionary<string, double> Atr = new() { ["BTC"] = 1_500, ["ETH"] = 80 };

    [Fact]
    public void Orders_are_the_difference_between_target_and_current_positions_with_ATR_stops()
    {
        TargetWeight[] targets =
        [
            new("BTC", 0.3, 0.5, ""),   // 0.3 x 100,000 / 50,000 = 0.6 BTC; hold 0.2 -> buy 0.4
            new("ETH", -0.1, 0.6, ""),  // -5 ETH; hold 2 -> sell 7
            new("SOL", 0.2, 0.9, ""),   // 200 SOL from flat; no ATR -> risk per unit 0
        ];

        var plan = TargetOrders.TargetsToProposals(targets, Book(("BTC", 0.2), ("ETH", 2)), Atr, atrMultiple: 2, minimumTradeNotional: 10);

        Assert.Empty(plan.Skipped);
        Assert.Equal(3, plan.Proposals.Count);
        Assert.Equal(("BTC", OrderSide.Buy, 0.4, 50_000.0, 3_000.0, "tactical"), Parts(plan.Proposals[0]), new TupleTolerance());
        Assert.Equal(("ETH", OrderSide.Sell, 7.0, 2_000.0, 160.0, "tactical"), Parts(plan.Proposals[1]), new TupleTolerance());
        Assert.Equal(("SOL", OrderSide.Buy, 200.0, 100.0, 0.0, "tactical"), Parts(plan.Proposals[2]), new TupleTolerance());
    }

    [Fact]
    public void Small_trades_are_skipped_but_a_close_to_flat_is_always_sent()
    {
        TargetWeight[] targets = [new("BTC", 0.0001, 0.5, ""), new("ETH", 0, 0.5, "")];
        // BTC: 0.0002 BTC = 10 of notional, below 25. ETH: close 0.001 ETH (2 of notional) anyway.
        var plan = TargetOrders.TargetsToProposals(targets, Book(("ETH", 0.001)), Atr, 2, minimumTradeNotional: 25);

        var close = Assert.Single(plan.Proposals);
        Assert.Equal(("ETH", OrderSide.Sell, 0.001), (close.Symbol, close.Side, close.Quantity));
        Assert.Equal("BTC: trade of 10.00 is below the minimum notional 25.00", Assert.Single(plan.Skipped));
    }

    [Fact]
    public void Targets_without_a_mark_or_with_a_broken_weight_are_reported_not_dropped()
    {
        TargetWeight[] targets = [new("DOGE", 0.1, 1, ""), new("BTC", double.NaN, 1, "")];

        var plan = TargetOrders.TargetsToProposals(targets, Book(), Atr, 2, 10);

        Assert.Empty(plan.Proposals);
        Assert.Equal(["DOGE: no positive mark to size against", "BTC: target weight is NaN"], plan.Skipped);
    }

    [Fact]
    public void Sized_proposals_pass_through_the_risk_engine_with_ATR_risk()
    {
        // 0.6 BTC target at 3,000 risk per unit: 1,800 = 1.8% of equity, 0.3x gross: approved as sized.
        var plan = TargetOrders.TargetsToProposals([new TargetWeight("BTC", 0.3, 0.5, "")], Book(), Atr, 2, 10);
        var book = Book() with { LastBarClose = new Dictionary<string, DateTimeOffset> { ["BTC"] = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) } };

        var verdict = Assert.Single(new RiskEngine(new RiskLimits()).Review(book, plan.Proposals));

        Assert.Equal(RiskDecision.Approve, verdict.Decision);
        Assert.Equal(0.6, verdict.ApprovedQuantity, 12);
    }

    private static (string, OrderSide, double, double, double, string) Parts(OrderProposal p) =>
        (p.Symbol, p.Side, p.Quantity, p.ReferencePrice, p.RiskPerUnit, p.Origin);

    private sealed class TupleTolerance : IEqualityComparer<(string, OrderSide, double, double, double, string)>
    {
        public bool Equals((string, OrderSide, double, double, double, string) x, (string, OrderSide, double, double, double, string) y) =>
            x.Item1 == y.Item1 && x.Item2 == y.Item2 && Math.Abs(x.Item3 - y.Item3) < 1e-9 && Math.Abs(x.Item4 - y.Item4) < 1e-9
            && Math.Abs(x.Item5 - y.Item5) < 1e-9 && x.Item6 == y.Item6;

        public int GetHashCode((string, OrderSide, double, double, double, string) obj) => 0;
    }
}
