using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using static AgentFirm.Quant.Tests.Backtest.TestMarket;

namespace AgentFirm.Quant.Tests.Backtest;

/// <summary>Protective (reduce-only) stops in the engine: what they can lose, when they can act, and that they die with their position.</summary>
public sealed class ProtectiveStopTests
{
    private static readonly BacktestOptions Free = new() { Costs = CostModel.Free, MaxLeverage = 2 };

    /// <summary>Enters 10 at the next open with a reduce-only sell stop at 95: a budget of 10 x (100 - 95) = 50 from an entry at 100.</summary>
    private static ScriptedStrategy LongWithStop(double stop = 95) => new((step, ctx) =>
    {
        if (step != 0) return;
        ctx.Submit("BTC-USDT", OrderSide.Buy, 10);
        ctx.Submit("BTC-USDT", OrderSide.Sell, 10, OrderType.Stop, stopPrice: stop, tag: "stop", reduceOnly: true);
    });

    [Fact]
    public async Task A_stopped_position_loses_its_budget_when_the_stop_trades_and_budget_plus_gap_when_the_price_gaps_through()
    {
        var crossing = Daily((100, 100, 100, 100, 1000), (100, 101, 99, 100, 1000), (99, 99.5, 90, 92, 1000), (92, 92, 92, 92, 1000));
        var gapping = Daily((100, 100, 100, 100, 1000), (100, 101, 99, 100, 1000), (88, 89, 80, 85, 1000), (85, 85, 85, 85, 1000));

        var crossed = await Run(Free, LongWithStop(), Series("BTC-USDT", crossing));
        var gapped = await Run(Free, LongWithStop(), Series("BTC-USDT", gapping));

        const double budget = 10 * (100 - 95);
        Assert.Equal(100_000 - budget, crossed.FinalEquity, 1e-9);
        // Gapped through: filled at the open 88, the gap is 95 - 88 per unit.
        Assert.Equal(100_000 - budget - 10 * (95 - 88), gapped.FinalEquity, 1e-9);
        Assert.Equal(0, gapped.FinalPositions["BTC-USDT"]);
    }

    [Fact]
    public async Task A_stop_never_triggers_on_a_bar_before_it_was_placed()
    {
        // Bar 1 trades down to 90, through the stop that is only sent at its close; bar 2 stays above it.
        var bars = Daily((100, 100, 100, 100, 1000), (100, 101, 90, 99, 1000), (99, 100, 96, 98, 1000));
        var strategy = new ScriptedStrategy((step, ctx) =>
        {
            if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 10);
            if (step == 1) ctx.Submit("BTC-USDT", OrderSide.Sell, 10, OrderType.Stop, stopPrice: 95, reduceOnly: true);
        });

        var result = await Run(Free, strategy, Series("BTC-USDT", bars));

        Assert.Single(result.Fills); // the entry only
        Assert.Equal(10, result.FinalPositions["BTC-USDT"]);
    }

    [Fact]
    public async Task A_stop_placed_between_decisions_never_fills_on_an_earlier_sub_bar()
    {
        var day = TimeSpan.FromDays(1);
        var hour = TimeSpan.FromHours(1);
        var daily = new[] { new Bar(T0, day, 100, 100, 100, 100, 1000), new Bar(T0 + day, day, 100, 100, 90, 94, 1000) };
        // Day 2's hours: hour 1 dips to 90 (before the stop exists), hour 5 dips to 94 (after it is placed at hour 3's close).
        var hourly = Enumerable.Range(0, 24).Select(h => new Bar(T0 + day + h * hour, hour, 100, 100,
            h == 1 ? 90 : h == 5 ? 94 : 99, h >= 5 ? 94.5 : 99.5, 100)).ToArray();
        var strategy = new IntrabarScript(
            onBar: (step, ctx) => { if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 10); },
            onIntrabar: ctx =>
            {
                if (ctx.Now == T0 + day + 3 * hour)
                    ctx.Submit("BTC-USDT", OrderSide.Sell, 10, OrderType.Stop, stopPrice: 95, reduceOnly: true);
            });

        var result = await new BacktestEngine(Free).RunAsync([new MarketSeries(Instrument.Parse("BTC-USDT"), daily) { SubBars = hourly }], strategy);

        Assert.Equal(2, result.Fills.Count);
        var stop = result.Fills[1];
        Assert.Equal(95, stop.Price);
        Assert.Equal(T0 + day + 6 * hour, stop.Time); // the close of hour 5, the first sub-bar after the stop was sent
    }

    [Fact]
    public async Task A_stop_fills_where_the_finer_path_gapped_through_it_not_at_the_daily_stop_price()
    {
        var day = TimeSpan.FromDays(1);
        var hour = TimeSpan.FromHours(1);
        var daily = new[] { new Bar(T0, day, 100, 100, 100, 100, 1000), new Bar(T0 + day, day, 100, 100, 80, 85, 1000), new Bar(T0 + 2 * day, day, 85, 85, 85, 85, 1000) };
        // Hour 3 closes at 96; hour 4 opens at 91: an overnight-style gap through the stop at 95 inside the day.
        var hourly = Enumerable.Range(0, 24).Select(h => h < 4
            ? new Bar(T0 + day + h * hour, hour, 100, 100, 96, 96, 100)
            : new Bar(T0 + day + h * hour, hour, 91, 91, 80, 85, 100)).ToArray();

        var daysOnly = await Run(Free, LongWithStop(), Series("BTC-USDT", daily));
        var withHours = await new BacktestEngine(Free).RunAsync([new MarketSeries(Instrument.Parse("BTC-USDT"), daily) { SubBars = hourly }], LongWithStop());

        Assert.Equal(95, daysOnly.Fills[1].Price);
        Assert.Equal(91, withHours.Fills[1].Price);
        Assert.Equal(1, withHours.Intrabar.BarsWithSubBars);
        Assert.Equal(2, withHours.Intrabar.BarsWithoutSubBars); // the first and the last day have no hours
    }

    [Fact]
    public async Task A_stop_is_cancelled_with_its_position_and_never_opens_a_short()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (100, 100, 100, 100, 1000), (100, 100, 100, 100, 1000), (90, 90, 80, 85, 1000));
        var strategy = new ScriptedStrategy((step, ctx) =>
        {
            if (step == 0)
            {
                ctx.Submit("BTC-USDT", OrderSide.Buy, 10);
                ctx.Submit("BTC-USDT", OrderSide.Sell, 10, OrderType.Stop, stopPrice: 95, reduceOnly: true);
            }
            if (step == 1) ctx.Submit("BTC-USDT", OrderSide.Sell, 10); // the firm closes the position itself
        });

        var result = await Run(Free, strategy, Series("BTC-USDT", bars));

        Assert.Equal(2, result.Fills.Count);
        Assert.Equal(0, result.FinalPositions["BTC-USDT"]);
        Assert.Contains(result.OrderEvents, e => e.Kind == OrderEventKind.Cancelled && e.OrderId == 2 && e.Reason.Contains("position it protected is closed"));
    }

    [Fact]
    public async Task A_triggered_reduce_only_stop_takes_no_more_than_the_position()
    {
        // The stop is for 10 but only 4 are held when it trades: it sells 4 and does not go short.
        var bars = Daily((100, 100, 100, 100, 1000), (100, 100, 100, 100, 1000), (94, 94, 90, 92, 1000));
        var strategy = new ScriptedStrategy((step, ctx) =>
        {
            if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Buy, 4);
            if (step == 0) ctx.Submit("BTC-USDT", OrderSide.Sell, 10, OrderType.Stop, stopPrice: 95, reduceOnly: true);
        });

        var result = await Run(Free, strategy, Series("BTC-USDT", bars));

        Assert.Equal(4, result.Fills[1].Quantity);
        Assert.Equal(0, result.FinalPositions["BTC-USDT"]);
    }

    [Fact]
    public async Task A_perpetual_short_is_protected_by_a_buy_stop_above_the_price()
    {
        var bars = Daily((100, 100, 100, 100, 1000), (100, 100, 100, 100, 1000), (103, 108, 102, 107, 1000));
        var strategy = new ScriptedStrategy((step, ctx) =>
        {
            if (step != 0) return;
            ctx.Submit("BTC-USDT-PERP", OrderSide.Sell, 10);
            ctx.Submit("BTC-USDT-PERP", OrderSide.Buy, 10, OrderType.Stop, stopPrice: 105, reduceOnly: true);
        });

        var result = await Run(Free, strategy, Series("BTC-USDT-PERP", bars));

        Assert.Equal(105, result.Fills[1].Price);
        Assert.Equal(0, result.FinalPositions["BTC-USDT-PERP"]);
    }
}

/// <summary>A scripted strategy that also acts between decisions.</summary>
internal sealed class IntrabarScript(Action<int, IStrategyContext> onBar, Action<IStrategyContext> onIntrabar) : IStrategy, IIntrabarStrategy
{
    private int _step;

    public string Name => "scripted-intrabar";

    public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        onBar(_step++, context);
        return ValueTask.CompletedTask;
    }

    public ValueTask OnIntrabarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        onIntrabar(context);
        return ValueTask.CompletedTask;
    }
}
