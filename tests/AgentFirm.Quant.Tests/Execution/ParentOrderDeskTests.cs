using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;

namespace AgentFirm.Quant.Tests.Execution;

public sealed class ParentOrderDeskTests
{
    private static readonly DateTimeOffset Day0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Buys one parent at the first decision through the desk, then advances it on every finer bar.</summary>
    private sealed class OneParent(AlgorithmKind algorithm, double quantity) : IStrategy, IIntrabarStrategy
    {
        private readonly ParentOrderDesk _desk = new();
        private bool _sent;
        public DateTimeOffset DecidedAt { get; private set; }
        public string Name => "one-parent";

        public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            _desk.Advance(context);
            if (_sent) return ValueTask.CompletedTask;
            _sent = true;
            DecidedAt = context.Now;
            _desk.Start(context, "BTC-USDT", OrderSide.Buy, quantity, algorithm, TimeSpan.FromDays(1), "test");
            return ValueTask.CompletedTask;
        }

        public ValueTask OnIntrabarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            _desk.Advance(context);
            return ValueTask.CompletedTask;
        }
    }

    private static MarketSeries Market(int days)
    {
        var daily = Enumerable.Range(0, days).Select(d => new Bar(Day0.AddDays(d), TimeSpan.FromDays(1), 100, 100, 100, 100, 24_000)).ToArray();
        var hourly = Enumerable.Range(0, days * 24).Select(h => new Bar(Day0.AddHours(h), TimeSpan.FromHours(1), 100, 100, 100, 100, 1_000)).ToArray();
        return new MarketSeries(Instrument.Parse("BTC-USDT"), daily) { SubBars = hourly };
    }

    [Fact]
    public async Task Twap_parent_trades_in_even_hourly_slices_after_its_decision_and_completes_at_the_horizon()
    {
        var strategy = new OneParent(AlgorithmKind.Twap, 24);
        var result = await new BacktestEngine(new BacktestOptions { Costs = CostModel.Free }).RunAsync([Market(3)], strategy);

        Assert.Equal(Day0.AddDays(1), strategy.DecidedAt);
        Assert.All(result.Fills, f => Assert.True(f.Time > strategy.DecidedAt));
        Assert.Equal(24, result.Fills.Sum(f => f.Quantity), 9);
        // A slice per hour of the following day: sent at each hourly close, filled on the next hour.
        Assert.Equal(24, result.Fills.Count);
        Assert.All(result.Fills, f => Assert.Equal(1, f.Quantity, 9));
        Assert.Equal(Day0.AddDays(1).AddHours(2), result.Fills[0].Time);
    }
}
