using AgentFirm.Core;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Risk;
using FsCheck;
using FsCheck.Fluent;

namespace AgentFirm.Quant.Tests.Risk;

/// <summary>
/// The hard limits between decisions, end to end in the engine: an adversary sends whatever targets it likes
/// through the risk engine the way the firm's risk agent does (review at each daily decision, a protective
/// stop per position fitted to the loss budget left, and after every hourly sub-bar: flatten once a limit trips,
/// tighten the stops when they could lose more than is left). On random hourly paths whose gaps between
/// consecutive prices are at most g, the drawdown and the daily loss never go past their limits by more than
/// g plus the costs the run paid, whatever the adversary does.
/// </summary>
public sealed class HardLimitProperties
{
    private const string Symbol = "BTC-USDT";
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly RiskLimits Limits = new() { MaxConcentration = 1.0, MaxDrawdown = 0.15, DailyLossLimit = 0.05 };

    public enum Adversary { AlwaysAllIn, FlipEveryBar, Random }

    /// <summary>Per hourly sub-bar: the gap at its open (in thousandths of g) and the move to its close (basis points).</summary>
    public sealed record PathSpec(double Gap, int[] GapMilli, int[] MoveBps, Adversary Adversary, double ClaimedRiskPct, int Seed)
    {
        public override string ToString() => $"g={Gap:P1}, {Adversary}, claimed stop {ClaimedRiskPct}% of price, seed {Seed}, {MoveBps.Length} hours";
    }

    private static Gen<PathSpec> Paths() =>
        from days in Gen.Choose(6, 14)
        from gap in Gen.Elements(0.002, 0.01, 0.03, 0.08)
        from gaps in Gen.ArrayOf(Gen.Choose(-1000, 1000), days * 24)
        // Mostly calm hours with a fat tail: a sixth of the hours move up to 6% (crashes included).
        from moves in Gen.ArrayOf(Gen.Frequency((5, Gen.Choose(-60, 60)), (1, Gen.Choose(-600, 400))), days * 24)
        from adversary in Gen.Elements(Adversary.AlwaysAllIn, Adversary.FlipEveryBar, Adversary.Random)
        from risk in Gen.Elements(0.1, 1.0, 5.0, 30.0)
        from seed in Gen.Choose(0, 1_000_000)
        select new PathSpec(gap, gaps, moves, adversary, risk, seed);

    [Fact]
    public void Realised_drawdown_and_daily_loss_stay_within_the_limit_plus_one_gap_plus_costs_for_any_targets()
    {
        var breaches = 0;
        var property = Prop.ForAll(Paths().ToArbitrary(), spec =>
        {
            var (worstDrawdown, worstDay, costs, breached) = Run(spec);
            if (breached) Interlocked.Increment(ref breaches);
            var tolerance = spec.Gap + costs + 1e-9;
            return worstDrawdown <= Limits.MaxDrawdown + tolerance && worstDay <= Limits.DailyLossLimit + tolerance;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
        // The property must be tested where it matters: on paths that actually reached a limit.
        Assert.True(breaches >= 20, $"only {breaches} of 150 paths reached a limit");
    }

    private static (double WorstDrawdown, double WorstDay, double Costs, bool Breached) Run(PathSpec spec)
    {
        var (daily, hourly) = Bars(spec);
        var adversary = new GuardedAdversary(spec);
        var options = new BacktestOptions { Costs = new CostModel { ImpactBps = 5 } };
        var result = new BacktestEngine(options).RunAsync([new MarketSeries(Instrument.Parse(Symbol), daily) { SubBars = hourly }], adversary).GetAwaiter().GetResult();

        // Observations in time order: decision closes (which set the peak and the day's start, as the risk engine does) and hourly closes.
        var points = result.Curve.Times.Select((t, i) => (Time: t, Equity: result.Curve.Equity[i], Decision: true))
            .Concat(result.Intrabar.Times.Select((t, i) => (Time: t, Equity: result.Intrabar.Equity[i], Decision: false)))
            .OrderBy(p => p.Time).ThenBy(p => p.Decision ? 1 : 0).ToArray();
        double peak = 0, dayStart = 0, worstDrawdown = 0, worstDay = 0;
        DateOnly? day = null;
        foreach (var p in points)
        {
            if (p.Decision) peak = Math.Max(peak, p.Equity);
            var d = DateOnly.FromDateTime(p.Time.UtcDateTime);
            if (day != d && p.Decision) (day, dayStart) = (d, p.Equity);
            if (peak > 0) worstDrawdown = Math.Max(worstDrawdown, 1 - p.Equity / peak);
            if (dayStart > 0 && day == d) worstDay = Math.Max(worstDay, 1 - p.Equity / dayStart);
        }
        var costs = result.Fills.Sum(f => f.Fee + f.SlippageCost) / options.InitialCash;
        var breached = worstDrawdown >= Limits.MaxDrawdown * 0.9 || worstDay >= Limits.DailyLossLimit * 0.9;
        return (worstDrawdown, worstDay, costs, breached);
    }

    /// <summary>Hourly bars from the spec (gaps bounded by g between one close and the next open) and the daily bars they make up.</summary>
    private static (Bar[] Daily, Bar[] Hourly) Bars(PathSpec spec)
    {
        var hour = TimeSpan.FromHours(1);
        var hourly = new Bar[spec.MoveBps.Length];
        var close = 100.0;
        for (var h = 0; h < hourly.Length; h++)
        {
            var open = h == 0 ? close : close * (1 + spec.Gap * spec.GapMilli[h] / 1000.0);
            var next = open * (1 + spec.MoveBps[h] / 10_000.0);
            hourly[h] = new Bar(T0 + h * hour, hour, open, Math.Max(open, next) * 1.001, Math.Min(open, next) * 0.999, next, 1e9);
            close = next;
        }
        var daily = hourly.Chunk(24).Select(c => new Bar(c[0].Time, TimeSpan.FromDays(1), c[0].Open, c.Max(b => b.High), c.Min(b => b.Low), c[^1].Close, c.Sum(b => b.Volume))).ToArray();
        return (daily, hourly);
    }

    /// <summary>
    /// The adversary's targets go through the risk engine exactly as the firm's risk agent handles them
    /// (RiskGrain.ReviewAsync and GuardAsync, FirmStrategy.OnIntrabarAsync), without the rest of the firm.
    /// </summary>
    private sealed class GuardedAdversary(PathSpec spec) : IStrategy, IIntrabarStrategy
    {
        private readonly RiskEngine _risk = new(Limits);
        private readonly Random _rng = new(spec.Seed);
        private int _step;

        public string Name => "adversary";

        public ValueTask OnBarAsync(IStrategyContext ctx, CancellationToken cancellationToken)
        {
            var step = _step++;
            var price = ctx.Portfolio.MarkPrice(Symbol);
            var equity = ctx.Portfolio.Equity;
            var held = ctx.Portfolio.PositionQuantity(Symbol);
            var snapshot = Snapshot(ctx);
            var weight = spec.Adversary switch
            {
                Adversary.AlwaysAllIn => 1.0,
                Adversary.FlipEveryBar => step % 2 == 0 ? 1.0 : 0.0,
                _ => _rng.Next(3) / 2.0,
            };
            var delta = weight * equity / price - held;
            var proposals = Math.Abs(delta * price) < 1e-6 * equity ? [] : new List<OrderProposal>
            {
                new(Symbol, delta > 0 ? OrderSide.Buy : OrderSide.Sell, Math.Abs(delta), price, spec.ClaimedRiskPct / 100 * price, "adversary"),
            };
            _risk.Observe(ctx.Now, equity);
            var verdicts = _risk.Review(snapshot, _risk.Halted ? _risk.Flatten(snapshot, "halted") : proposals);
            var expected = held;
            StopBasis? basis = null;
            foreach (var v in verdicts)
            {
                if (v.ApprovedQuantity <= 0) continue;
                ctx.Submit(Symbol, v.Proposal.Side, v.ApprovedQuantity);
                var after = expected + v.Proposal.Side.Sign() * v.ApprovedQuantity;
                if (v.Proposal.RiskPerUnit > 0 && Math.Abs(after) > Math.Abs(expected)) basis = new StopBasis(v.Proposal.ReferencePrice, v.Proposal.RiskPerUnit);
                expected = after;
            }
            var bases = basis is { } b ? new Dictionary<string, StopBasis> { [Symbol] = b } : null;
            ReplaceStops(ctx, ProtectiveStops.Plan(new Dictionary<string, double> { [Symbol] = expected }, snapshot.Marks, bases, Resting(ctx), _risk.RemainingLossBudget(equity)));
            return ValueTask.CompletedTask;
        }

        public ValueTask OnIntrabarAsync(IStrategyContext ctx, CancellationToken cancellationToken)
        {
            var equity = ctx.Portfolio.Equity;
            var held = ctx.Portfolio.PositionQuantity(Symbol);
            if (_risk.CheckBetweenDecisions(ctx.Now, equity) is not null)
            {
                if (held != 0) ctx.Submit(Symbol, held > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(held));
                return ValueTask.CompletedTask;
            }
            var budget = _risk.RemainingLossBudget(equity);
            var resting = Resting(ctx);
            var atStops = held == 0 ? 0 : resting.Count == 0 ? double.PositiveInfinity
                : Math.Abs(held) * Math.Max(0, Math.Sign(held) * (ctx.Portfolio.MarkPrice(Symbol) - resting[0].StopPrice));
            if (atStops > budget)
                ReplaceStops(ctx, ProtectiveStops.Plan(new Dictionary<string, double> { [Symbol] = held }, Snapshot(ctx).Marks, null, resting, budget));
            return ValueTask.CompletedTask;
        }

        private static PortfolioSnapshot Snapshot(IStrategyContext ctx) => new(ctx.Now, ctx.Portfolio.Equity,
            new Dictionary<string, double> { [Symbol] = ctx.Portfolio.PositionQuantity(Symbol) },
            new Dictionary<string, double> { [Symbol] = ctx.Portfolio.MarkPrice(Symbol) },
            new Dictionary<string, DateTimeOffset> { [Symbol] = ctx.Now }, Timeframe.Day);

        private static List<RestingStop> Resting(IStrategyContext ctx) => ctx.OpenOrders
            .Where(o => o.Order.ReduceOnly)
            .Select(o => new RestingStop(Symbol, o.Order.Id, o.Order.Side, o.RemainingQuantity, o.Order.StopPrice!.Value)).ToList();

        private static void ReplaceStops(IStrategyContext ctx, StopLevel[] levels)
        {
            foreach (var r in Resting(ctx)) ctx.Cancel(r.OrderId);
            foreach (var l in levels) ctx.Submit(Symbol, l.Side, l.Quantity, OrderType.Stop, stopPrice: l.StopPrice, reduceOnly: true);
        }
    }
}
