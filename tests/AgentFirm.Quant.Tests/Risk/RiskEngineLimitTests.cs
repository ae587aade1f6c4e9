using AgentFirm.Quant.Risk;
using static AgentFirm.Quant.Tests.Risk.RiskBook;

namespace AgentFirm.Quant.Tests.Risk;

public sealed class RiskEngineLimitTests
{
    private static RiskEngine Engine(RiskLimits? limits = null) => new(limits ?? new RiskLimits());

    [Fact]
    public void Approves_an_order_within_every_limit_and_reports_the_post_trade_figures()
    {
        // 0.5 BTC = 25,000: 0.25x of equity on every measure; risk 0.5 x 1,000 = 500 = 0.50%.
        var verdict = Engine().ReviewOne(Snapshot(), Buy("BTC", 0.5, riskPerUnit: 1_000));

        Assert.Equal(RiskDecision.Approve, verdict.Decision);
        Assert.Equal(0.5, verdict.ApprovedQuantity);
        Assert.Equal("approved: trade risk 0.50%/2.00%, BTC 0.25x/0.60x, gross 0.25x/1.00x, net 0.25x/1.00x of equity", verdict.Reason);
    }

    [Fact]
    public void Shrinks_order_to_the_per_trade_risk_limit()
    {
        // Risk 1 x 5,000 = 5% of equity; 2% allows 2,000 / 5,000 = 0.4 BTC (concentration would allow 1.2).
        var verdict = Engine().ReviewOne(Snapshot(), Buy("BTC", 1, riskPerUnit: 5_000));

        Assert.Equal(RiskDecision.Shrink, verdict.Decision);
        Assert.Equal(0.4, verdict.ApprovedQuantity, 12);
        Assert.Equal("shrunk to 0.4 of 1: trade risk would be 5.00% of equity (1 x 5000 per unit), limit 2.00%", verdict.Reason);
    }

    [Fact]
    public void Shrinks_order_to_the_concentration_limit()
    {
        // 1.5 BTC = 75,000 = 0.75x; 0.6 x 100,000 / 50,000 = 1.2 BTC. Risk 1.2 x 1,000 = 1.2% passes.
        var verdict = Engine().ReviewOne(Snapshot(), Buy("BTC", 1.5, riskPerUnit: 1_000));

        Assert.Equal(RiskDecision.Shrink, verdict.Decision);
        Assert.Equal(1.2, verdict.ApprovedQuantity, 12);
        Assert.Equal("shrunk to 1.2 of 1.5: BTC concentration would be 0.75x equity, limit 0.60x", verdict.Reason);
    }

    [Fact]
    public void Concentration_counts_the_position_already_held()
    {
        // Holding 1 BTC (0.5x): only 0.2 more fits under 0.6x.
        var verdict = Engine().ReviewOne(Snapshot(positions: Holding(("BTC", 1))), Buy("BTC", 0.5));

        Assert.Equal(0.2, verdict.ApprovedQuantity, 12);
        Assert.Contains("BTC concentration would be 0.75x equity, limit 0.60x", verdict.Reason);
    }

    [Fact]
    public void Shrinks_order_to_the_gross_exposure_limit()
    {
        // ETH 25 x 2,000 = 50,000 long, SOL -300 x 100 = 30,000 short: gross 80,000.
        // (100,000 - 80,000) / 50,000 = 0.4 BTC; with the full 1 BTC gross would be 130,000 = 1.30x.
        var snapshot = Snapshot(positions: Holding(("ETH", 25), ("SOL", -300)));
        var verdict = Engine().ReviewOne(snapshot, Buy("BTC", 1));

        Assert.Equal(RiskDecision.Shrink, verdict.Decision);
        Assert.Equal(0.4, verdict.ApprovedQuantity, 12);
        Assert.Equal("shrunk to 0.4 of 1: gross exposure would be 1.30x equity, limit 1.00x", verdict.Reason);
    }

    [Fact]
    public void Shrinks_order_to_the_net_exposure_limit()
    {
        // Net cap 0.5x, gross 2x. ETH 20 = 40,000 long; (50,000 - 40,000) / 50,000 = 0.2 BTC.
        // With the full 0.5 BTC net would be 65,000 = 0.65x.
        var engine = Engine(new RiskLimits { MaxNetExposure = 0.5, MaxGrossExposure = 2 });
        var verdict = engine.ReviewOne(Snapshot(positions: Holding(("ETH", 20))), Buy("BTC", 0.5));

        Assert.Equal(RiskDecision.Shrink, verdict.Decision);
        Assert.Equal(0.2, verdict.ApprovedQuantity, 12);
        Assert.Equal("shrunk to 0.2 of 0.5: net exposure would be 0.65x equity, limit 0.50x", verdict.Reason);
    }

    [Fact]
    public void An_opening_order_against_the_net_position_is_not_held_back_by_the_net_cap()
    {
        // Net cap 0.5x with ETH 20 long (0.4x): shorting 1 BTC takes net to -10,000 = 0.10x.
        var engine = Engine(new RiskLimits { MaxNetExposure = 0.5, MaxGrossExposure = 2 });
        var verdict = engine.ReviewOne(Snapshot(positions: Holding(("ETH", 20))), Sell("BTC", 1));

        Assert.Equal(RiskDecision.Approve, verdict.Decision);
        Assert.Equal(1, verdict.ApprovedQuantity);
    }

    [Fact]
    public void Vetoes_opening_order_when_the_gross_cap_is_already_used()
    {
        // ETH 50 = 100,000 = 1.00x gross: no room; 0.1 BTC more would make 105,000 = 1.05x.
        var verdict = Engine().ReviewOne(Snapshot(positions: Holding(("ETH", 50))), Buy("BTC", 0.1));

        Assert.Equal(RiskDecision.Veto, verdict.Decision);
        Assert.Equal(0, verdict.ApprovedQuantity);
        Assert.Equal("vetoed: gross exposure would be 1.05x equity, limit 1.00x", verdict.Reason);
    }

    [Fact]
    public void Proposals_are_reviewed_in_sequence_each_approval_counting_against_the_next()
    {
        var verdicts = Engine().Review(Snapshot(), [Buy("BTC", 0.8), Buy("BTC", 0.8)]);

        Assert.Equal(RiskDecision.Approve, verdicts[0].Decision);
        Assert.Equal(0.8, verdicts[0].ApprovedQuantity);
        Assert.Equal(RiskDecision.Shrink, verdicts[1].Decision); // 1.2 - 0.8 = 0.4 left under 0.6x
        Assert.Equal(0.4, verdicts[1].ApprovedQuantity, 12);
    }

    [Fact]
    public void A_flipping_order_passes_its_reducing_part_and_checks_only_the_opening_part()
    {
        // Long 0.5 BTC, sell 2: 0.5 closes, 1.5 would open short; 1.2 fits under 0.6x -> 1.7 approved.
        var verdict = Engine().ReviewOne(Snapshot(positions: Holding(("BTC", 0.5))), Sell("BTC", 2));

        Assert.Equal(RiskDecision.Shrink, verdict.Decision);
        Assert.Equal(1.7, verdict.ApprovedQuantity, 12);
        Assert.Equal("shrunk to 1.7 of 2: BTC concentration would be 0.75x equity, limit 0.60x; the reducing part (0.5) passes", verdict.Reason);
    }

    [Fact]
    public void Reducing_orders_pass_even_when_the_position_breaches_every_cap()
    {
        // 3 BTC = 150,000: over gross, net and concentration; selling 1 still passes in full.
        var verdict = Engine().ReviewOne(Snapshot(positions: Holding(("BTC", 3))), Sell("BTC", 1, riskPerUnit: 0));

        Assert.Equal(RiskDecision.Approve, verdict.Decision);
        Assert.Equal(1, verdict.ApprovedQuantity);
        Assert.Equal("approved: reduces BTC from 3 to 2; risk-reducing orders always pass", verdict.Reason);
    }

    [Fact]
    public void Vetoes_opening_order_without_a_risk_per_unit()
    {
        var verdict = Engine().ReviewOne(Snapshot(), Buy("BTC", 0.1, riskPerUnit: 0));

        Assert.Equal(RiskDecision.Veto, verdict.Decision);
        Assert.Equal("vetoed: risk per unit is 0; an opening order needs a stop distance to size its risk", verdict.Reason);
    }

    [Theory]
    [InlineData(double.NaN, 50_000, 100, "quantity is NaN")]
    [InlineData(-1, 50_000, 100, "quantity is -1")]
    [InlineData(0, 50_000, 100, "quantity is 0")]
    [InlineData(1, double.PositiveInfinity, 100, "reference price is Infinity")]
    [InlineData(1, 50_000, double.NaN, "risk per unit is NaN")]
    [InlineData(1, 50_000, -5, "risk per unit is -5")]
    public void Vetoes_proposals_with_NaN_infinite_or_negative_inputs_without_throwing(double quantity, double price, double riskPerUnit, string field)
    {
        var proposal = new OrderProposal("BTC", Core.OrderSide.Buy, quantity, price, riskPerUnit, "broken model");

        var verdict = Engine().ReviewOne(Snapshot(), proposal);

        Assert.Equal(RiskDecision.Veto, verdict.Decision);
        Assert.Equal(0, verdict.ApprovedQuantity);
        Assert.StartsWith("vetoed: invalid proposal: " + field, verdict.Reason);
    }

    [Fact]
    public void Vetoes_proposal_with_an_empty_symbol_or_an_undefined_side()
    {
        var verdicts = Engine().Review(Snapshot(), [
            new OrderProposal(" ", Core.OrderSide.Buy, 1, 1, 1, "x"),
            new OrderProposal("BTC", (Core.OrderSide)7, 1, 1, 1, "x"),
        ]);

        Assert.Equal("vetoed: invalid proposal: symbol is empty", verdicts[0].Reason);
        Assert.Equal("vetoed: invalid proposal: side 7 is not Buy or Sell", verdicts[1].Reason);
    }

    [Fact]
    public void Vetoes_opening_order_when_equity_is_not_a_number_but_still_lets_reductions_through()
    {
        var snapshot = Snapshot(equity: double.NaN, positions: Holding(("BTC", 1)));
        var verdicts = Engine().Review(snapshot, [Buy("ETH", 1), Sell("BTC", 1)]);

        Assert.Equal("vetoed: equity is NaN; opening orders need positive finite equity", verdicts[0].Reason);
        Assert.Equal(RiskDecision.Approve, verdicts[1].Decision);
    }

    [Fact]
    public void Vetoes_opening_order_when_a_held_position_has_no_mark()
    {
        var marks = new Dictionary<string, double> { ["BTC"] = 50_000, ["ETH"] = double.NaN };
        var snapshot = Snapshot(positions: Holding(("ETH", 5)), marks: marks);

        var verdict = Engine().ReviewOne(snapshot, Buy("BTC", 0.1));

        Assert.Equal("vetoed: cannot value the book: the ETH position has no positive finite mark", verdict.Reason);
    }

    [Fact]
    public void Limits_that_make_no_sense_are_rejected_naming_the_limit()
    {
        var error = Assert.Throws<ArgumentException>(() => new RiskEngine(new RiskLimits { MaxDrawdown = 1.5 }));
        Assert.Equal("MaxDrawdown", error.ParamName);
        Assert.StartsWith("RiskLimits.MaxDrawdown must be in (0, 1), got 1.5.", error.Message);

        Assert.Equal("MaxGrossExposure", Assert.Throws<ArgumentException>(() => new RiskLimits { MaxGrossExposure = double.NaN }.Validate()).ParamName);
        Assert.Equal("StaleAfterBars", Assert.Throws<ArgumentException>(() => new RiskLimits { StaleAfterBars = 0 }.Validate()).ParamName);
        Assert.Equal("LossBudgetUse", Assert.Throws<ArgumentException>(() => new RiskLimits { LossBudgetUse = 0 }.Validate()).ParamName);
        Assert.Equal("ExitCostBps", Assert.Throws<ArgumentException>(() => new RiskLimits { ExitCostBps = -1 }.Validate()).ParamName);
        new RiskLimits().Validate(); // the defaults are valid
    }

    /// <summary>
    /// A firm 14% below its peak of 100,000, on a new UTC day (so the daily-loss limit leaves 5% of 86,000 and
    /// the drawdown limit binds): 86,000 - 85,000 = 1,000 may still be lost, of which the default half, 500,
    /// may be committed to stops and costs.
    /// </summary>
    private static (RiskEngine Engine, PortfolioSnapshot Snapshot) NearTheDrawdownLimit(double exitCostBps, IReadOnlyDictionary<string, double>? positions = null)
    {
        var engine = Engine(new RiskLimits { ExitCostBps = exitCostBps });
        engine.Review(Snapshot(), []);
        return (engine, Snapshot(equity: 86_000, time: T0.AddDays(1), positions: positions));
    }

    [Fact]
    public void Near_the_drawdown_limit_an_opening_order_is_shrunk_so_its_stop_and_round_trip_costs_fit_what_is_left()
    {
        // 10 bp a side on BTC at 50,000 is 50 a unit each way: 1,000 of stop risk + 100 of costs = 1,100 a unit,
        // so 500 / 1,100 = 0.4545 BTC. Trade risk (1,720 / 1,000 = 1.72) and concentration (1.032) allow more.
        var (engine, snapshot) = NearTheDrawdownLimit(exitCostBps: 10);
        var verdict = engine.ReviewOne(snapshot, Buy("BTC", 1, riskPerUnit: 1_000));

        Assert.Equal(RiskDecision.Shrink, verdict.Decision);
        Assert.Equal(500.0 / 1_100, verdict.ApprovedQuantity, 12);
        Assert.Equal("shrunk to 0.45454545 of 1: loss budget: the stop risk and round-trip costs of 1 plus the exit of the book would lose 1100.00, 1.28% of equity, and only 500.00 may be committed (50.00% of what is left before the drawdown or daily-loss limit)", verdict.Reason);
    }

    [Fact]
    public void The_loss_budget_keeps_back_the_exit_costs_of_the_positions_already_held()
    {
        // Holding 10 ETH (20,000): its exit costs 20 at 10 bp, leaving 480 for the new trade.
        var (engine, snapshot) = NearTheDrawdownLimit(exitCostBps: 10, Holding(("ETH", 10)));
        var verdict = engine.ReviewOne(snapshot, Buy("BTC", 1, riskPerUnit: 1_000));

        Assert.Equal(480.0 / 1_100, verdict.ApprovedQuantity, 12);
        Assert.Equal(480, engine.CommittableLossBudget(86_000, 20_000), 9); // what the protective stops are fitted to
    }

    [Fact]
    public void Without_costs_the_loss_budget_still_holds_the_stop_risk_to_what_the_limits_leave()
    {
        var (engine, snapshot) = NearTheDrawdownLimit(exitCostBps: 0);
        Assert.Equal(0.5, engine.ReviewOne(snapshot, Buy("BTC", 1.5, riskPerUnit: 1_000)).ApprovedQuantity, 12);
    }

    [Fact]
    public void An_opening_order_is_vetoed_when_the_exit_costs_of_the_book_already_use_up_the_budget_but_a_reduction_passes()
    {
        // 1.032 BTC held (51,600, the concentration cap): at 400 bp its exit alone would cost 2,064, above the 500 that may be committed.
        var (engine, snapshot) = NearTheDrawdownLimit(exitCostBps: 400, Holding(("BTC", 1.032)));

        var opening = engine.ReviewOne(snapshot, Buy("ETH", 1, riskPerUnit: 10));
        Assert.Equal(RiskDecision.Veto, opening.Decision);
        Assert.StartsWith("vetoed: loss budget:", opening.Reason);
        Assert.Equal(RiskDecision.Approve, engine.ReviewOne(snapshot, Sell("BTC", 1.032)).Decision);
    }
}
