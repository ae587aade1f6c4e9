using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;

namespace AgentFirm.Quant.Tests.Execution;

public sealed class ParentOrderJournalTests
{
    private static readonly DateTimeOffset Day0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Sends one parent at the first decision (through the desk when scheduled); optionally cuts it short at a later call.</summary>
    private sealed class Journaled(Func<IStrategyContext, ParentOrderDesk, ParentOrderJournal, long> send, int cancelAtCall = 0) : IStrategy, IIntrabarStrategy
    {
        private readonly ParentOrderDesk _desk = new();
        private int _calls;
        private long _orderId;
        public ParentOrderJournal Journal { get; } = new();
        public DateTimeOffset DecidedAt { get; private set; }

        public string Name => "journaled";

        public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            _calls++;
            if (_calls == 1)
            {
                DecidedAt = context.Now;
                _orderId = send(context, _desk, Journal);
            }
            else if (_calls == cancelAtCall)
            {
                _desk.SupersedeAll(context);
                if (_orderId > 0) context.Cancel(_orderId);
            }
            Journal.Settle(context);
            return ValueTask.CompletedTask;
        }

        public ValueTask OnIntrabarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            _desk.Advance(context);
            Journal.Settle(context);
            return ValueTask.CompletedTask;
        }
    }

    private static MarketSeries Daily(params double[] closes) => new(Instrument.Parse("BTC-USDT"),
        closes.Select((c, d) => new Bar(Day0.AddDays(d), TimeSpan.FromDays(1), c, c, c, c, 1_000_000)).ToArray());

    [Fact]
    public async Task A_limit_that_never_fills_costs_the_move_it_missed_until_it_was_cancelled()
    {
        // Decided at a close of 100, the buy rests at 50 and is cancelled two decisions later at a close of 110:
        // nothing filled, so the whole shortfall is opportunity, 10 x (110 - 100) on a paper 10 x 100 = 1,000 bp.
        var strategy = new Journaled((context, _, journal) =>
        {
            var id = context.Submit("BTC-USDT", OrderSide.Buy, 10, OrderType.Limit, 50);
            journal.Open(context, "BTC-USDT", OrderSide.Buy, 10, "limit", "test").Children.Add(id);
            return id;
        }, cancelAtCall: 3);
        var result = await new BacktestEngine(new BacktestOptions { Costs = CostModel.Free }).RunAsync([Daily(100, 100, 110, 110, 120)], strategy);

        var (parent, s) = Assert.Single(strategy.Journal.Measure(result.Fills, _ => 120));
        Assert.Equal(0, s.FilledQuantity);
        Assert.Equal(100, s.DecisionPrice);
        Assert.Equal(100, s.ArrivalPrice); // never reached a fill: the price it rested from
        Assert.Equal(110, s.EndPrice);
        Assert.Equal(Day0.AddDays(3), parent.EndTime);
        Assert.Equal(100, s.OpportunityCost, 9);
        Assert.Equal(1_000, s.TotalBps, 9);
    }

    [Fact]
    public async Task A_twap_parent_is_measured_from_its_children_fills_against_the_mark_at_its_decision()
    {
        // Hourly prices climb 0.1 an hour; one hour's bar is flat at its price, so every fill's reference is its bar's open.
        var hourly = Enumerable.Range(0, 3 * 24).Select(h => 100 + 0.1 * h)
            .Select((p, h) => new Bar(Day0.AddHours(h), TimeSpan.FromHours(1), p, p, p, p, 1_000)).ToArray();
        var daily = Enumerable.Range(0, 3).Select(d => hourly.Skip(24 * d).Take(24).ToArray())
            .Select(h => new Bar(h[0].Time, TimeSpan.FromDays(1), h[0].Open, h.Max(b => b.High), h.Min(b => b.Low), h[^1].Close, 24_000)).ToArray();
        var market = new MarketSeries(Instrument.Parse("BTC-USDT"), daily) { SubBars = hourly };
        var costs = new CostModel { TakerFeeBps = 10, MakerFeeBps = 10, SpreadBps = 0, SlippageBps = 0, ImpactBps = 0 };
        var strategy = new Journaled((context, desk, journal) =>
        {
            desk.Start(context, "BTC-USDT", OrderSide.Buy, 24, AlgorithmKind.Twap, TimeSpan.FromDays(1), "twap",
                journal.Open(context, "BTC-USDT", OrderSide.Buy, 24, "twap", "test"));
            return 0;
        });
        var result = await new BacktestEngine(new BacktestOptions { Costs = costs }).RunAsync([market], strategy);

        var (parent, s) = Assert.Single(strategy.Journal.Measure(result.Fills, _ => double.NaN));
        Assert.Equal(24, parent.Children.Count);
        Assert.Equal(24, s.FilledQuantity, 9);
        var decision = hourly.Single(b => b.CloseTime == strategy.DecidedAt).Close;
        Assert.Equal(decision, s.DecisionPrice, 9);
        var fillBars = result.Fills.Select(f => hourly.Single(b => b.CloseTime == f.Time)).ToArray();
        Assert.Equal(fillBars[0].Open, s.ArrivalPrice, 9);
        var average = fillBars.Average(b => b.Open);
        Assert.Equal(average, s.AverageFillPrice, 9);
        // Paid over the decision price on every unit, plus 10 bp of fees on what was traded.
        var expected = (24 * (average - decision) + 24 * average * 0.001) / (24 * decision) * 10_000;
        Assert.Equal(expected, s.TotalBps, 6);
        Assert.Equal(result.Fills[^1].Time, parent.EndTime); // ended at the close its last child filled on
    }

    [Fact]
    public async Task A_superseded_schedule_counts_its_unsent_part_as_unfilled_and_ends_at_the_supersession()
    {
        var hourly = Enumerable.Range(0, 4 * 24).Select(h => new Bar(Day0.AddHours(h), TimeSpan.FromHours(1), 100, 100, 100, 100, 1_000)).ToArray();
        var daily = Enumerable.Range(0, 4).Select(d => new Bar(Day0.AddDays(d), TimeSpan.FromDays(1), 100, 100, 100, 100, 24_000)).ToArray();
        var market = new MarketSeries(Instrument.Parse("BTC-USDT"), daily) { SubBars = hourly };
        var strategy = new Journaled((context, desk, journal) =>
        {
            // A two-day schedule, cut short by the next decision one day in.
            desk.Start(context, "BTC-USDT", OrderSide.Buy, 48, AlgorithmKind.Twap, TimeSpan.FromDays(2), "twap",
                journal.Open(context, "BTC-USDT", OrderSide.Buy, 48, "twap", "test"));
            return 0;
        }, cancelAtCall: 2);
        var result = await new BacktestEngine(new BacktestOptions { Costs = CostModel.Free }).RunAsync([market], strategy);

        var (parent, s) = Assert.Single(strategy.Journal.Measure(result.Fills, _ => double.NaN));
        Assert.False(parent.Scheduling);
        Assert.Equal(strategy.DecidedAt.AddDays(1), parent.EndTime);
        Assert.InRange(s.FilledShare, 0.4, 0.55); // about half the slices were due by the supersession
        Assert.Equal(result.Fills.Sum(f => f.Quantity), s.FilledQuantity, 9);
        Assert.Equal(0, s.TotalBps, 9); // a flat price: nothing paid, nothing missed
    }
}
