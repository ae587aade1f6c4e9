using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using static AgentFirm.Quant.Tests.Backtest.TestMarket;

namespace AgentFirm.Quant.Tests.Backtest;

public sealed class EngineExecutionTests
{
    private static readonly CostModel RealisticCosts = new() { TakerFeeBps = 10, MakerFeeBps = 2, SpreadBps = 2, SlippageBps = 3, ImpactBps = 50 };

    [Fact]
    public async Task Round_trip_with_fees_spread_slippage_and_impact_matches_hand_computation_to_the_cent()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (110, 112, 108, 111, 1000), (120, 121, 119, 120, 1000), (130, 131, 129, 130, 1000));
        var strategy = new ScriptedStrategy((step, ctx) =>
        {
            if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1);
            if (step == 1) ctx.Submit("BTC-USDT", OrderSide.Sell, 1);
        });

        var result = await Run(new BacktestOptions { Costs = RealisticCosts }, strategy, Series("BTC-USDT", bars));

        // Cost per side: spread/2 (1 bp) + slippage (3 bp) + impact 50 bp * sqrt(1/1000) = 5.5811388 bp.
        // Buy at the next open 110 -> 110.0613925; sell at the following open 120 -> 119.9330263;
        // taker fee 10 bp of each notional. 100000 - 110.0613925 - 0.1100614 + 119.9330263 - 0.1199330.
        Assert.Equal(2, result.Fills.Count);
        Assert.Equal(110.06139252713092, result.Fills[0].Price, 1e-9);
        Assert.Equal(119.93302633403898, result.Fills[1].Price, 1e-9);
        Assert.Equal(0.11006139252713092, result.Fills[0].Fee, 1e-12);
        Assert.Equal(100_009.64, result.FinalEquity, 0.005);
        Assert.Equal(100_009.64163938805, result.FinalCash, 1e-6);
        Assert.Equal(0.0, result.FinalPositions["BTC-USDT"]);
        var trip = Assert.Single(result.RoundTrips);
        Assert.Equal(9.64163938805, trip.NetPnl, 1e-6);
        Assert.Equal((110.06139252713092 - 110) + (120 - 119.93302633403898), result.Fills[0].SlippageCost + result.Fills[1].SlippageCost, 1e-9);
    }

    [Fact]
    public async Task Market_order_fills_on_the_bar_after_the_decision_never_on_the_bar_it_saw()
    {
        var bars = Daily((100, 101, 99, 100, 1000), (105, 106, 104, 105, 1000), (107, 108, 106, 107, 1000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1); });

        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, strategy, Series("BTC-USDT", bars));

        var fill = Assert.Single(result.Fills);
        Assert.Equal(105, fill.Price); // the next bar's open, not the close of 100 the strategy decided on
        Assert.Equal(bars[1].CloseTime, fill.Time);
    }

    [Fact]
    public async Task Latency_of_three_bars_delays_the_fill_to_the_third_bar_after_the_decision()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (101, 101, 101, 101, 1000), (102, 102, 102, 102, 1000), (103, 103, 103, 103, 1000), (104, 104, 104, 104, 1000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1); });

        var result = await Run(new BacktestOptions { Costs = CostModel.Free, LatencyBars = 3 }, strategy, Series("BTC-USDT", bars));

        var fill = Assert.Single(result.Fills);
        Assert.Equal(103, fill.Price);
        Assert.Equal(bars[3].CloseTime, fill.Time);
    }

    [Fact]
    public void Zero_latency_is_refused_because_it_would_trade_on_seen_prices()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BacktestOptions { LatencyBars = 0 }.Validate());
        Assert.Contains("at least one bar", ex.Message);
    }

    [Fact]
    public async Task Resting_limit_buy_does_not_fill_when_the_bar_only_touches_or_stays_above_its_price()
    {
        // The limit is 95: bar 1 stays above, bar 2 touches 95 exactly, bar 3 trades through to 94.9.
        var bars = Daily((100, 100, 100, 100, 1000), (99, 100, 96, 97, 1000), (97, 98, 95, 96, 1000), (96, 97, 94.9, 95.5, 1000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 2, OrderType.Limit, limitPrice: 95); });

        var result = await Run(new BacktestOptions { Costs = RealisticCosts }, strategy, Series("BTC-USDT", bars));

        var fill = Assert.Single(result.Fills);
        Assert.Equal(bars[3].CloseTime, fill.Time);
        Assert.Equal(95, fill.Price); // at the limit, no spread or slippage
        Assert.True(fill.IsMaker);
        Assert.Equal(2 * 95 * 2 / 10_000.0, fill.Fee, 1e-12); // maker fee 2 bp
    }

    [Fact]
    public async Task Limit_order_that_never_trades_through_is_reported_unfilled_at_the_end()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (99, 100, 96, 97, 1000), (97, 98, 95, 96, 1000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1, OrderType.Limit, limitPrice: 95); });

        var result = await Run(new BacktestOptions(), strategy, Series("BTC-USDT", bars));

        Assert.Empty(result.Fills);
        Assert.Contains(result.OrderEvents, e => e.Kind == OrderEventKind.Unfilled);
        Assert.Equal(100_000, result.FinalEquity);
    }

    [Fact]
    public async Task Limit_order_marketable_on_arrival_takes_liquidity_at_the_open()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (90, 92, 89, 91, 1000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1, OrderType.Limit, limitPrice: 95); });

        var result = await Run(new BacktestOptions { Costs = RealisticCosts with { ImpactBps = 0 } }, strategy, Series("BTC-USDT", bars));

        var fill = Assert.Single(result.Fills);
        Assert.False(fill.IsMaker);
        Assert.Equal(90 * (1 + 4 / 10_000.0), fill.Price, 1e-9); // half spread + slippage on the open
    }

    [Fact]
    public async Task Orders_above_the_participation_cap_fill_partially_over_several_bars()
    {
        // Volume 10 per bar and a 10% cap: at most 1 unit per bar, so 2.5 units take three bars.
        var bars = Daily((100, 100, 100, 100, 10), (101, 101, 101, 101, 10), (102, 102, 102, 102, 10), (103, 103, 103, 103, 10), (104, 104, 104, 104, 10));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 2.5); });

        var result = await Run(new BacktestOptions { Costs = CostModel.Free, ParticipationCap = 0.1 }, strategy, Series("BTC-USDT", bars));

        Assert.Equal([1.0, 1.0, 0.5], result.Fills.Select(f => f.Quantity));
        Assert.Equal([101.0, 102.0, 103.0], result.Fills.Select(f => f.Price));
        Assert.Equal(2.5, result.FinalPositions["BTC-USDT"], 1e-12);
    }

    [Fact]
    public async Task Zero_volume_bars_such_as_outage_fillers_execute_nothing()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (100, 100, 100, 100, 0), (102, 103, 101, 102, 1000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 1); });

        var result = await Run(new BacktestOptions { Costs = CostModel.Free }, strategy, Series("BTC-USDT", bars));

        Assert.Equal(102, Assert.Single(result.Fills).Price);
    }

    [Fact]
    public async Task Stop_sell_triggers_at_the_stop_when_crossed_and_at_the_open_when_gapped_through()
    {
        var crossing = Daily((100, 100, 100, 100, 1000), (99, 99.5, 94, 95, 1000));
        var gapping = Daily((100, 100, 100, 100, 1000), (90, 91, 89, 90, 1000));
        IStrategy Stop() => new ScriptedStrategy((step, ctx) =>
        {
            if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Sell, 1, OrderType.Stop, stopPrice: 96);
        });
        var margin = new BacktestOptions { Costs = CostModel.Free, MaxLeverage = 2 };

        var crossed = await Run(margin, Stop(), Series("BTC-USDT", crossing));
        var gapped = await Run(margin, Stop(), Series("BTC-USDT", gapping));

        Assert.Equal(96, Assert.Single(crossed.Fills).Price);
        Assert.Equal(90, Assert.Single(gapped.Fills).Price);
    }

    [Fact]
    public async Task Cash_account_never_goes_negative_and_shrinks_an_order_it_cannot_pay_for()
    {
        var bars = Daily((100, 100, 100, 100, 1_000_000), (100, 100, 100, 100, 1_000_000), (100, 100, 100, 100, 1_000_000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 2_000); }); // 2x equity

        var result = await Run(new BacktestOptions { Costs = new CostModel { TakerFeeBps = 10, SpreadBps = 0, ImpactBps = 0 } }, strategy, Series("BTC-USDT", bars));

        Assert.All(result.Curve.Cash, c => Assert.True(c >= 0, $"cash went negative: {c}"));
        var fill = Assert.Single(result.Fills);
        Assert.Equal(100_000 / (100 * 1.001), fill.Quantity, 1e-6);
        Assert.Contains(result.OrderEvents, e => e.Kind == OrderEventKind.Shrunk && e.Reason.Contains("not enough cash"));
    }

    [Fact]
    public async Task Cash_account_rejects_a_spot_short()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (100, 100, 100, 100, 1000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Sell, 1); });

        var result = await Run(new BacktestOptions(), strategy, Series("BTC-USDT", bars));

        Assert.Empty(result.Fills);
        Assert.Contains(result.OrderEvents, e => e.Kind == OrderEventKind.Rejected && e.Reason.Contains("cannot sell spot"));
    }

    [Fact]
    public async Task Margin_account_may_borrow_up_to_its_leverage_cap()
    {
        var bars = Daily((100, 100, 100, 100, 1_000_000), (100, 100, 100, 100, 1_000_000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 3_000); }); // 3x equity

        var result = await Run(new BacktestOptions { Costs = CostModel.Free, MaxLeverage = 2 }, strategy, Series("BTC-USDT", bars));

        Assert.Equal(2_000, Assert.Single(result.Fills).Quantity, 1e-6);
        Assert.Equal(-100_000, result.FinalCash, 1e-6);
        Assert.Equal(100_000, result.FinalEquity, 1e-6);
    }

    [Fact]
    public async Task Long_perpetual_pays_positive_funding_and_a_short_receives_it()
    {
        // Hourly bars over one day: settlements at 08:00, 16:00 and 24:00 UTC, at 0.1% each, mark 100.
        var bars = Flat(25, 100, 1_000, TimeSpan.FromHours(1));
        IStrategy Open(OrderSide side) => new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT-PERP", side, 10); });
        var options = new BacktestOptions { Costs = CostModel.Free, Funding = new ConstantFundingRate(0.001) };

        var longRun = await Run(options, Open(OrderSide.Buy), Series("BTC-USDT-PERP", bars));
        var shortRun = await Run(options, Open(OrderSide.Sell), Series("BTC-USDT-PERP", bars));

        // The position opens at 02:00 (fill on the second bar), so 08:00, 16:00 and 00:00 settle: 3 x 10 x 100 x 0.001.
        Assert.Equal(3, longRun.Funding.Count);
        Assert.All(longRun.Funding, f => Assert.Equal(-1.0, f.Amount, 1e-12));
        Assert.All(shortRun.Funding, f => Assert.Equal(1.0, f.Amount, 1e-12));
        Assert.Equal(100_000 - 3, longRun.FinalEquity, 1e-9);
        Assert.Equal(100_000 + 3, shortRun.FinalEquity, 1e-9);
        Assert.Equal([8, 16, 0], longRun.Funding.Select(f => f.Time.Hour));
    }

    [Fact]
    public async Task Funding_settlements_inside_a_data_gap_are_not_lost()
    {
        var hourly = Flat(30, 100, 1_000, TimeSpan.FromHours(1)).ToList();
        hourly.RemoveRange(6, 4); // no bars 06:00-09:00: the 08:00 settlement falls in the gap
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT-PERP", OrderSide.Buy, 10); });

        var result = await Run(new BacktestOptions { Costs = CostModel.Free, Funding = new ConstantFundingRate(0.001) }, strategy, Series("BTC-USDT-PERP", hourly.ToArray()));

        Assert.Equal([8, 16, 0], result.Funding.Select(f => f.Time.Hour));
    }

    [Fact]
    public async Task Perpetual_short_profits_from_a_fall_and_keeps_cash_for_margin_only()
    {
        var bars = Daily((100, 100, 100, 100, 1_000_000), (100, 100, 100, 100, 1_000_000), (90, 90, 90, 90, 1_000_000));
        var strategy = new ScriptedStrategy((step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT-PERP", OrderSide.Sell, 500); });

        var result = await Run(new BacktestOptions { Costs = CostModel.Free, Funding = new ConstantFundingRate(0) }, strategy, Series("BTC-USDT-PERP", bars));

        Assert.Equal(100_000, result.FinalCash, 1e-9); // nothing realised yet
        Assert.Equal(100_000 + 500 * 10, result.FinalEquity, 1e-9);
    }
}
