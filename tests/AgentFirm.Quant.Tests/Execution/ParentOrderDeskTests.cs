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

    [Fact]
    public async Task Vwap_parent_follows_the_volume_profile_of_the_days_before_its_decision()
    {
        // Mornings (00-11 UTC) trade three times the volume of afternoons; the profile comes from day 0 only.
        var hourly = Enumerable.Range(0, 3 * 24).Select(h => new Bar(Day0.AddHours(h), TimeSpan.FromHours(1), 100, 100, 100, 100, h % 24 < 12 ? 3_000 : 1_000)).ToArray();
        var daily = Enumerable.Range(0, 3).Select(d => new Bar(Day0.AddDays(d), TimeSpan.FromDays(1), 100, 100, 100, 100, 48_000)).ToArray();
        var strategy = new OneParent(AlgorithmKind.Vwap, 48);
        var result = await new BacktestEngine(new BacktestOptions { Costs = CostModel.Free })
            .RunAsync([new MarketSeries(Instrument.Parse("BTC-USDT"), daily) { SubBars = hourly }], strategy);

        Assert.Equal(Day0.AddDays(1), strategy.DecidedAt);
        Assert.Equal(48, result.Fills.Sum(f => f.Quantity), 9);
        // The slice sent after the m-th hour trades on the next hour: hours 01-11 of day 1 weigh 3 each (33), 12-23 weigh
        // 1 each (12), and the last slice trades at 00 of day 2 (3): 33 of 48 fill in day 1's morning, against 22 under TWAP.
        var morning = result.Fills.Where(f => f.Time - TimeSpan.FromHours(1) < Day0.AddDays(1).AddHours(12)).Sum(f => f.Quantity);
        Assert.Equal(33, morning, 9);
    }
}
