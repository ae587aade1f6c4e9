using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Tests.Backtest;

/// <summary>Small hand-made markets and scripted strategies for engine tests.</summary>
internal static class TestMarket
{
    public static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Bars from (open, high, low, close, volume) tuples, one per <paramref name="step"/>.</summary>
    public static Bar[] Bars(TimeSpan step, params (double O, double H, double L, double C, double V)[] rows) =>
        rows.Select((r, i) => new Bar(T0 + i * step, step, r.O, r.H, r.L, r.C, r.V)).ToArray();

    public static Bar[] Daily(params (double O, double H, double L, double C, double V)[] rows) => Bars(TimeSpan.FromDays(1), rows);

    public static Bar[] Flat(int count, double price, double volume, TimeSpan step) =>
        Bars(step, Enumerable.Repeat((price, price, price, price, volume), count).ToArray());

    public static MarketSeries Series(string symbol, Bar[] bars) => new(Instrument.Parse(symbol), bars);

    public static Task<BacktestResult> Run(BacktestOptions options, IStrategy strategy, params MarketSeries[] market) =>
        new BacktestEngine(options).RunAsync(market, strategy);
}

/// <summary>Runs a callback at each decision: the step number (0 = first close) and the context.</summary>
internal sealed class ScriptedStrategy(Action<int, IStrategyContext> onBar) : IStrategy
{
    private int _step;

    public string Name => "scripted";

    public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        onBar(_step++, context);
        return ValueTask.CompletedTask;
    }
}
