using AgentFirm.Quant.Risk;
using static AgentFirm.Quant.Tests.Risk.RiskBook;

namespace AgentFirm.Quant.Tests.Risk;

public sealed class RiskEngineStateTests
{
    private static readonly DateTimeOffset Day1 = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Drawdown_at_the_limit_does_not_halt_but_one_cent_below_does()
    {
        var engine = new RiskEngine(new RiskLimits());
        engine.Observe(Day1, 100_000);
        engine.Observe(Day1.AddHours(1), 85_000); // exactly peak x 0.85: still allowed
        Assert.False(engine.Halted);

        engine.Observe(Day1.AddHours(2), 84_999.99);

        Assert.True(engine.Halted);
        Assert.Equal("max drawdown: equity 84999.99 is 15.00% below the peak 100000.00 at 2024-03-01 02:00Z, limit 15.00%; flatten and wait for a person to reset", engine.HaltReason);
    }

    [Fact]
    public void After_the_drawdown_limit_only_flattening_passes_and_only_a_person_lifts_the_halt()
    {
        var engine = new RiskEngine(new RiskLimits());
        engine.Observe(Day1, 120_000); // the peak
        var book = Holding(("BTC", 1), ("ETH", -10), ("SOL", 0));
        var snapshot = Snapshot(equity: 100_000, time: Day1.AddHours(5), positions: book, lastBarClose: new Dictionary<string, DateTimeOffset>
        {
            ["BTC"] = Day1.AddHours(5), ["ETH"] = Day1.AddHours(5), ["SOL"] = Day1.AddHours(5),
        });

        // 100,000 < 120,000 x 0.85 = 102,000: the review's own observation halts the engine first.
        var verdicts = engine.Review(snapshot, [Buy("SOL", 10), Buy("BTC", 0.1), Sell("BTC", 0.25)]);

        Assert.True(engine.Halted);
        Assert.Equal(RiskDecision.Veto, verdicts[0].Decision);
        Assert.StartsWith("vetoed: halted: max drawdown: equity 100000.00 is 16.67% below the peak 120000.00", verdicts[0].Reason);
        Assert.Equal(RiskDecision.Veto, verdicts[1].Decision);
        Assert.Equal(RiskDecision.Approve, verdicts[2].Decision);

        var flatten = engine.Flatten(snapshot, engine.HaltReason!);
        Assert.Equal(2, flatten.Count); // SOL is already flat
        Assert.Equal(new OrderProposal("BTC", Core.OrderSide.Sell, 1, 50_000, 0, "risk: flatten (" + engine.HaltReason + ")"), flatten[0]);
        Assert.Equal(("ETH", Core.OrderSide.Buy, 10.0), (flatten[1].Symbol, flatten[1].Side, flatten[1].Quantity));

        var flattenVerdicts = engine.Review(snapshot, flatten);
        Assert.All(flattenVerdicts, v => Assert.Equal(RiskDecision.Approve, v.Decision));
        var after = new Dictionary<string, double>(book);
        foreach (var v in flattenVerdicts) after[v.Proposal.Symbol] += v.Proposal.SignedQuantity;
        Assert.All(after.Values, q => Assert.Equal(0, q));

        // Equity recovering above the peak or a new UTC day does not lift the halt.
        engine.Observe(Day1.AddDays(2), 130_000);
        Assert.True(engine.Halted);
        var flat = Snapshot(equity: 130_000, time: Day1.AddDays(2));
        Assert.Equal(RiskDecision.Veto, engine.ReviewOne(flat, Buy("BTC", 0.1)).Decision);

        engine.Reset("alice");

        Assert.False(engine.Halted);
        Assert.Null(engine.HaltReason);
        Assert.Equal("alice", engine.LastResetBy);
        Assert.Equal(Day1.AddDays(2), engine.LastResetAt);
        Assert.Equal(130_000, engine.PeakEquity); // the peak restarts at the last observed equity
        Assert.Equal(RiskDecision.Approve, engine.ReviewOne(flat, Buy("BTC", 0.1)).Decision);
    }

    [Fact]
    public void Reset_needs_a_persons_name()
    {
        var engine = new RiskEngine(new RiskLimits());
        engine.EngageKillSwitch("test");

        Assert.Throws<ArgumentException>(() => engine.Reset(" "));
        Assert.True(engine.Halted);
    }

    [Fact]
    public void Vetoes_opening_orders_after_the_daily_loss_limit_until_the_next_UTC_day()
    {
        var engine = new RiskEngine(new RiskLimits());
        var book = Holding(("BTC", 0.5));
        engine.Observe(Day1, 100_000); // the day's start

        // 94,000 < 100,000 x 0.95: tripped; a recovery later the same day does not lift it.
        engine.Observe(Day1.AddHours(10), 94_000);
        var sameDay = Snapshot(equity: 99_000, time: Day1.AddHours(20), positions: book);
        var verdicts = engine.Review(sameDay, [Buy("ETH", 1), Sell("BTC", 0.5)]);

        Assert.True(engine.DailyLossTripped);
        Assert.False(engine.Halted); // 6% is not the 15% drawdown
        Assert.Equal(RiskDecision.Veto, verdicts[0].Decision);
        Assert.Equal("vetoed: daily loss limit: equity 94000.00 is 6.00% below the UTC day's start 100000.00 (2024-03-01), limit 5.00%; only risk-reducing orders until the next UTC day", verdicts[0].Reason);
        Assert.Equal(RiskDecision.Approve, verdicts[1].Decision);

        var nextDay = Snapshot(equity: 99_000, time: Day1.AddDays(1).AddMinutes(1), positions: book);
        var verdict = engine.ReviewOne(nextDay, Buy("ETH", 1));

        Assert.False(engine.DailyLossTripped);
        Assert.Equal(99_000, engine.DayStartEquity);
        Assert.Equal(RiskDecision.Approve, verdict.Decision);
    }

    [Fact]
    public void Daily_loss_limit_at_exactly_five_percent_does_not_trip()
    {
        var engine = new RiskEngine(new RiskLimits());
        engine.Observe(Day1.AddHours(3), 100_000);
        engine.Observe(Day1.AddHours(4), 95_000);
        Assert.False(engine.DailyLossTripped);
        engine.Observe(Day1.AddHours(5), 94_999);
        Assert.True(engine.DailyLossTripped);
    }

    [Fact]
    public void A_late_observation_does_not_roll_the_day_back()
    {
        var engine = new RiskEngine(new RiskLimits());
        engine.Observe(Day1.AddDays(1), 100_000);
        engine.Observe(Day1.AddHours(23), 50_000); // older than the last one: ignored

        Assert.False(engine.DailyLossTripped);
        Assert.False(engine.Halted);
        Assert.Equal(100_000, engine.DayStartEquity);
    }

    [Fact]
    public void Kill_switch_vetoes_opening_orders_lets_reductions_through_and_needs_a_person_to_reset()
    {
        var engine = new RiskEngine(new RiskLimits());
        var snapshot = Snapshot(positions: Holding(("BTC", 0.5)));

        engine.EngageKillSwitch("exchange outage");
        var verdicts = engine.Review(snapshot, [Buy("ETH", 1), Sell("BTC", 0.5), Sell("BTC", 0.1)]);

        Assert.True(engine.Halted);
        Assert.Equal("kill switch: exchange outage", engine.HaltReason);
        Assert.Equal("vetoed: kill switch engaged: exchange outage", verdicts[0].Reason);
        Assert.Equal(RiskDecision.Approve, verdicts[1].Decision);
        Assert.Equal(RiskDecision.Veto, verdicts[2].Decision); // BTC is flat by now: selling more would open a short

        engine.Reset("bob");
        Assert.False(engine.Halted);
        Assert.Equal(RiskDecision.Approve, engine.ReviewOne(snapshot, Buy("ETH", 1)).Decision);
    }

    [Fact]
    public void Vetoes_opening_orders_on_stale_data_and_lets_reductions_through()
    {
        var engine = new RiskEngine(new RiskLimits()); // stale after 3 x 1h
        var lastBar = new Dictionary<string, DateTimeOffset>
        {
            ["BTC"] = T0.AddHours(-3),                  // exactly 3 bars: fresh
            ["ETH"] = T0.AddHours(-3).AddMinutes(-1),   // older: stale
        };
        var snapshot = Snapshot(positions: Holding(("ETH", 5)), lastBarClose: lastBar);

        var verdicts = engine.Review(snapshot, [Buy("BTC", 0.1), Buy("ETH", 1), Sell("ETH", 5), Buy("SOL", 1)]);

        Assert.Equal(RiskDecision.Approve, verdicts[0].Decision);
        Assert.Equal(RiskDecision.Veto, verdicts[1].Decision);
        Assert.Equal("vetoed: stale data: the last ETH bar closed at 2024-03-01 08:59Z, 3.02h before the decision, limit 3 x 1h", verdicts[1].Reason);
        Assert.Equal(RiskDecision.Approve, verdicts[2].Decision);
        Assert.Equal("vetoed: stale data: no bar has closed for SOL", verdicts[3].Reason);
    }

    [Fact]
    public void Export_and_import_preserve_halt_peak_day_start_and_daily_loss()
    {
        var limits = new RiskLimits();
        var engine = new RiskEngine(limits);
        engine.Observe(Day1, 100_000);
        engine.Observe(Day1.AddHours(1), 110_000);
        engine.Observe(Day1.AddHours(2), 90_000); // 18.2% below the peak, 10% below the day's start
        engine.EngageKillSwitch("desk call");

        var state = engine.Export();
        var restored = RiskEngine.Import(limits, state);

        Assert.Equal(state, restored.Export());
        Assert.True(restored.Halted);
        Assert.True(restored.KillSwitchEngaged);
        Assert.True(restored.DailyLossTripped);
        Assert.Equal(engine.HaltReason, restored.HaltReason);
        Assert.Equal(110_000, restored.PeakEquity);
        Assert.Equal(100_000, restored.DayStartEquity);
        Assert.Equal(new DateOnly(2024, 3, 1), state.Day);

        // The restored engine behaves like the original.
        var snapshot = Snapshot(equity: 90_000, time: Day1.AddHours(3));
        Assert.Equal(engine.Review(snapshot, [Buy("BTC", 0.1)]).Single(), restored.Review(snapshot, [Buy("BTC", 0.1)]).Single());

        restored.Reset("carol");
        Assert.False(restored.Halted);
        Assert.Equal("carol", RiskEngine.Import(limits, restored.Export()).LastResetBy);
    }
}
