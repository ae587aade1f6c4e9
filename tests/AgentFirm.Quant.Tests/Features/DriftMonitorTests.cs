using AgentFirm.Quant.Features;
using AgentFirm.Quant.Risk;
using AgentFirm.Quant.Tests.Risk;

namespace AgentFirm.Quant.Tests.Features;

public class DriftMonitorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static double[] Sample(Random rng, int count, double mean, double sd) =>
        Enumerable.Range(0, count).Select(_ => mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())).ToArray();

    private static DriftMonitor Monitor(Random rng) => new(
        new Dictionary<string, double[]> { ["rsi14"] = Sample(rng, 2_000, 50, 10), ["rv20"] = Sample(rng, 2_000, 0.5, 0.1) },
        new DriftMonitorOptions { Features = ["rsi14", "rv20"], LiveWindow = 300, MinLive = 200, Threshold = 0.001 });

    [Fact]
    public void Raises_an_event_for_the_feature_that_left_its_training_distribution_and_clears_it_on_return()
    {
        var rng = new Random(5);
        var monitor = Monitor(rng);
        var calmRsi = Sample(rng, 300, 50, 10);
        var calmRv = Sample(rng, 900, 0.5, 0.1);
        var wildRv = Sample(rng, 300, 0.9, 0.2);
        var raised = new List<DriftEvent>();
        var cleared = new List<string>();
        for (var t = 0; t < 900; t++)
        {
            // Bars 300..599: volatility regime change; rsi stays put.
            var rv = t is >= 300 and < 600 ? wildRv[t - 300] : calmRv[t];
            var (r, c) = monitor.Observe(T0.AddHours(t), new Dictionary<string, double> { ["rsi14"] = calmRsi[t % 300], ["rv20"] = rv, ["other"] = 1e9 });
            raised.AddRange(r);
            cleared.AddRange(c);
            if (t == 299) Assert.Empty(raised); // same distribution: no event
        }
        var drift = Assert.Single(raised);
        Assert.Equal("rv20", drift.Feature);
        Assert.True(drift.PValue < 0.001);
        Assert.True(drift.Time > T0.AddHours(300) && drift.Time < T0.AddHours(420), $"raised at {drift.Time}");
        Assert.Equal(2_000, drift.TrainingCount);
        Assert.Equal(300, drift.LiveCount);
        Assert.Equal(["rv20"], cleared); // once the live window is back to the calm regime
        Assert.Empty(monitor.Active);
    }

    [Fact]
    public void Waits_for_the_minimum_live_sample_and_skips_NaNs()
    {
        var rng = new Random(6);
        var monitor = Monitor(rng);
        for (var t = 0; t < 250; t++)
        {
            // Far out of distribution, but only 125 finite values: below MinLive, so no test yet.
            var value = t % 2 == 0 ? 500.0 : double.NaN;
            var (raised, _) = monitor.Observe(T0.AddHours(t), new Dictionary<string, double> { ["rsi14"] = value });
            Assert.Empty(raised);
        }
        var late = Enumerable.Range(250, 200).SelectMany(t => monitor.Observe(T0.AddHours(t), new Dictionary<string, double> { ["rsi14"] = 500 }).Raised).ToList();
        Assert.Equal("rsi14", Assert.Single(late).Feature);
    }

    [Fact]
    public void Risk_engine_vetoes_new_exposure_while_drift_is_active_and_lets_reductions_through()
    {
        var engine = new RiskEngine(new RiskLimits());
        var snapshot = RiskBook.Snapshot(positions: RiskBook.Holding(("ETH", 5)));
        Assert.Equal(RiskDecision.Approve, engine.ReviewOne(snapshot, RiskBook.Buy("BTC", 0.1)).Decision);

        var drift = new DriftEvent("rv20", 0.31, 2e-9, RiskBook.T0, 2_000, 300);
        engine.ReportDrift(drift);
        Assert.True(engine.DriftActive);
        var opening = engine.ReviewOne(snapshot, RiskBook.Buy("BTC", 0.1));
        Assert.Equal(RiskDecision.Veto, opening.Decision);
        Assert.Contains("drift circuit breaker", opening.Reason);
        Assert.Contains("rv20", opening.Reason);
        var reducing = engine.ReviewOne(snapshot, RiskBook.Sell("ETH", 2));
        Assert.Equal(RiskDecision.Approve, reducing.Decision);
        // A flip: the reducing part passes, the opening part is vetoed.
        var flip = engine.ReviewOne(snapshot, RiskBook.Sell("ETH", 8));
        Assert.Equal(RiskDecision.Shrink, flip.Decision);
        Assert.Equal(5, flip.ApprovedQuantity, 12);

        engine.ClearDrift("rv20");
        Assert.False(engine.DriftActive);
        Assert.Equal(RiskDecision.Approve, engine.ReviewOne(snapshot, RiskBook.Buy("BTC", 0.1)).Decision);
    }

    [Fact]
    public void With_a_drift_scale_opening_orders_are_shrunk_instead_of_vetoed()
    {
        var engine = new RiskEngine(new RiskLimits { DriftOpeningScale = 0.25 });
        engine.ReportDrift(new DriftEvent("vol_z20", 0.2, 1e-5, RiskBook.T0, 1_000, 300));
        var verdict = engine.ReviewOne(RiskBook.Snapshot(), RiskBook.Buy("BTC", 0.2));
        Assert.Equal(RiskDecision.Shrink, verdict.Decision);
        Assert.Equal(0.05, verdict.ApprovedQuantity, 12);
        Assert.Contains("drift circuit breaker", verdict.Reason);
        Assert.Throws<ArgumentException>(() => new RiskEngine(new RiskLimits { DriftOpeningScale = 1.5 }));
    }

    [Fact]
    public void Monitor_events_drive_the_breaker_end_to_end()
    {
        var rng = new Random(8);
        var monitor = Monitor(rng);
        var engine = new RiskEngine(new RiskLimits());
        var wild = Sample(rng, 300, 80, 5);
        for (var t = 0; t < 300; t++)
        {
            var (raised, cleared) = monitor.Observe(T0.AddHours(t), new Dictionary<string, double> { ["rsi14"] = wild[t] });
            foreach (var e in raised) engine.ReportDrift(e);
            foreach (var f in cleared) engine.ClearDrift(f);
        }
        Assert.True(engine.DriftActive);
        Assert.Contains("rsi14", engine.DriftReason);
        Assert.Equal(RiskDecision.Veto, engine.ReviewOne(RiskBook.Snapshot(), RiskBook.Buy("SOL", 1)).Decision);
    }
}
