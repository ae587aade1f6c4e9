using AgentFirm.Core;
using AgentFirm.Dashboard.Components;
using AgentFirm.Dashboard.Model;

namespace AgentFirm.Dashboard.Tests;

/// <summary>The read-model logic behind the pages: agent scoring, decision search, chart sampling.</summary>
public sealed class ModelTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DecisionStepRow Step(int hour, params AgentView[] views) =>
        new(hour, T0.AddHours(hour), views, views.Select(v => v.Agent).Distinct().ToDictionary(a => a, _ => 1.0), [], []);

    private static AgentView View(string agent, int hour, double direction, double confidence, int horizonHours = 2) =>
        new(agent, "BTC-USD", T0.AddHours(hour), direction, confidence, TimeSpan.FromHours(horizonHours), [], "");

    [Fact]
    public void A_call_resolves_only_once_its_horizon_has_passed_and_scores_against_the_mark_then()
    {
        var marks = new Dictionary<int, double> { [0] = 100, [1] = 90, [2] = 110 };
        var tracker = new AgentTracker();
        var hour = 0;
        double? Mark(string _) => marks[hour];

        tracker.Observe(Step(0, View("tech", 0, 0.6, 0.8)), Mark);
        hour = 1;
        tracker.Observe(Step(1), Mark); // the price fell, but the 2-hour call is not due yet
        Assert.Equal(0, tracker.Records().Single().Resolved);
        hour = 2;
        tracker.Observe(Step(2), Mark);

        var tech = tracker.Records().Single();
        Assert.Equal((1, 1, 1), (tech.Calls, tech.Resolved, tech.Hits));
        // Brier of one hit stated at 0.8: (0.8 - 1)^2 = 0.04.
        Assert.Equal(0.04, tech.Brier, 12);
        Assert.Equal(1.0, tech.History[^1].HitRate);
    }

    [Fact]
    public void Paper_pnl_adds_the_move_each_resolved_call_caught_in_the_direction_it_leaned()
    {
        var tracker = new AgentTracker();
        tracker.Observe(Step(0, View("tech", 0, 0.6, 0.7, 1), View("sent", 0, -0.4, 0.7, 1)), _ => 100);
        tracker.Observe(Step(1, View("tech", 1, 0.6, 0.7, 1)), _ => 110);  // +10%: the long call caught it, the short call lost it
        tracker.Observe(Step(2), _ => 99);                                  // -10% from 110: the second long call lost it

        var records = tracker.Records().ToDictionary(r => r.Name);
        Assert.Equal(0.10 - 0.10, records["tech"].PaperReturn, 12);
        Assert.Equal(-0.10, records["sent"].PaperReturn, 12);
        Assert.Equal([0.0, 0.10, 0.0], records["tech"].History.Select(p => Math.Round(p.PaperReturn, 12)));
    }

    [Fact]
    public void Each_analysts_latency_is_the_mean_over_the_steps_it_was_timed_and_its_last()
    {
        var tracker = new AgentTracker();
        tracker.Observe(Step(0, View("tech", 0, 0.6, 0.7)) with { AnalystMillis = new Dictionary<string, double> { ["tech"] = 2, ["sent"] = 10 } }, _ => 100);
        tracker.Observe(Step(1, View("tech", 1, 0.6, 0.7)) with { AnalystMillis = new Dictionary<string, double> { ["tech"] = 4 }, Dropped = ["sent"] }, _ => 100);

        var records = tracker.Records().ToDictionary(r => r.Name);
        Assert.Equal((3.0, 4.0), (records["tech"].MeanMillis, records["tech"].LastMillis));
        Assert.Equal((10.0, 10.0, 1), (records["sent"].MeanMillis, records["sent"].LastMillis, records["sent"].Drops)); // a dropped step is not timed
    }

    [Fact]
    public void Flat_views_are_not_calls_and_dropped_analysts_are_counted()
    {
        var tracker = new AgentTracker();
        var step = Step(0, View("tech", 0, 0.03, 0.9)) with { Dropped = ["causal"] };

        tracker.Observe(step, _ => 100);

        var records = tracker.Records().ToDictionary(r => r.Name);
        Assert.Equal(0, records["tech"].Calls);
        Assert.Equal((1, 1), (records["causal"].Drops, records["causal"].Steps));
        Assert.True(double.IsNaN(records["tech"].HitRate));
    }

    [Fact]
    public void A_wrong_call_lowers_the_hit_rate_and_an_unmoved_mark_says_nothing()
    {
        var tracker = new AgentTracker();
        tracker.Observe(Step(0, View("tech", 0, -0.5, 0.6, 1), View("sent", 0, 0.5, 0.6, 1)), _ => 100);
        var price = 101.0;
        tracker.Observe(Step(1), _ => price);

        var records = tracker.Records().ToDictionary(r => r.Name);
        Assert.Equal((1, 0), (records["tech"].Resolved, records["tech"].Hits));
        Assert.Equal(0.36, records["tech"].Brier, 12); // (0.6 - 0)^2
        Assert.Equal((1, 1), (records["sent"].Resolved, records["sent"].Hits));

        tracker.Observe(Step(2, View("tech", 2, 0.5, 0.6, 1)), _ => price);
        tracker.Observe(Step(3), _ => price);
        Assert.Equal(1, tracker.Records().Single(r => r.Name == "tech").Resolved);
    }

    [Fact]
    public void Agent_history_is_thinned_but_keeps_its_first_and_latest_points()
    {
        var tracker = new AgentTracker();
        for (var h = 0; h < 5 * AgentTracker.MaxHistory; h++) tracker.Observe(Step(h, View("tech", h, 0, 0)), _ => 100);

        var history = tracker.Records().Single().History;
        Assert.InRange(history.Count, AgentTracker.MaxHistory, 2 * AgentTracker.MaxHistory);
        Assert.Equal(T0, history[0].Time);
        Assert.Equal(T0.AddHours(5 * AgentTracker.MaxHistory - 1), history[^1].Time);
    }

    [Fact]
    public void Decision_query_combines_filters_and_pages_latest_first()
    {
        var monitor = new SampleFirmMonitor(initialSteps: 30);
        var all = monitor.Current.Decisions;

        var shrunk = new DecisionQuery { Verdict = RiskAction.Shrink, Symbol = "eth-usd", Take = 5 }.Apply(all);
        var expected = all.Where(s => s.Verdicts.Any(v => v.Symbol == "ETH-USD" && v.Action == RiskAction.Shrink)).ToArray();
        Assert.Equal(expected.Length, shrunk.Total);
        Assert.Equal(expected.Take(5).Select(s => s.Step), shrunk.Rows.Select(s => s.Step));

        var second = new DecisionQuery { Skip = 10, Take = 10 }.Apply(all);
        Assert.Equal(all.Skip(10).Take(10).Select(s => s.Step), second.Rows.Select(s => s.Step));

        var calm = new DecisionQuery { Regime = Regime.Calm, Text = "GROSS EXPOSURE" }.Apply(all);
        Assert.All(calm.Rows, s => Assert.True(s.Regime == Regime.Calm && s.Verdicts.Any(v => v.Reason.Contains("gross exposure"))));
        Assert.True(calm.Total > 0);

        var window = new DecisionQuery { From = all[5].Time, To = all[2].Time }.Apply(all);
        Assert.Equal(all.Skip(2).Take(4).Select(s => s.Step), window.Rows.Select(s => s.Step));
    }

    [Theory]
    [InlineData(0, 100, 20)]   // 0..1 drawn in hundredths: ticks every 0.20
    [InlineData(-3, 4, 2)]
    [InlineData(50, 50.5, 1)]  // a flat line still gets whole-number ticks
    [InlineData(0, 2000, 500)]
    public void Tick_spacing_is_a_whole_1_2_5_step_giving_about_five_ticks(double min, double max, int expected) =>
        Assert.Equal(expected, ChartSampling.TickSpacing(min, max));

    [Fact]
    public void Chart_sampling_keeps_the_first_and_last_points_and_at_most_the_maximum()
    {
        var picked = ChartSampling.Pick(10_001, 150);
        Assert.True(picked.Count <= 150);
        Assert.Equal(0, picked[0]);
        Assert.Equal(10_000, picked[^1]);
        Assert.Equal(Enumerable.Range(0, 7), ChartSampling.Pick(7, 150));
    }
}

/// <summary>The firm's position PnL split among the analysts by their signed share of the weighted views.</summary>
public sealed class PnlAttributionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AgentView View(string agent, double direction, double confidence) =>
        new(agent, "BTC-USD", T0, direction, confidence, TimeSpan.FromHours(1), [], "");

    [Fact]
    public void A_moves_pnl_goes_to_the_analysts_by_their_share_of_the_weighted_views_and_adds_up()
    {
        var attribution = new PnlAttribution();
        // tech: weight 1 x 0.5 x 0.8 = +0.4; sent: weight 2 x -0.2 x 0.5 = -0.2; blend +0.2, so shares +2 and -1.
        var weights = new Dictionary<string, double> { ["tech"] = 1, ["sent"] = 2 };
        attribution.Observe(new DecisionStepRow(0, T0, [View("tech", 0.5, 0.8), View("sent", -0.2, 0.5)], weights, [], []),
            new Dictionary<string, double> { ["BTC-USD"] = 10 }, new Dictionary<string, double> { ["BTC-USD"] = 100 });
        // 10 held from 100 to 103: +30, of which tech +60 and sent -30. No view now: the next move is unattributed.
        attribution.Observe(new DecisionStepRow(1, T0.AddHours(1), [], weights, [], []),
            new Dictionary<string, double> { ["BTC-USD"] = 10 }, new Dictionary<string, double> { ["BTC-USD"] = 103 });
        attribution.Observe(new DecisionStepRow(2, T0.AddHours(2), [], weights, [], []),
            new Dictionary<string, double> { ["BTC-USD"] = 0 }, new Dictionary<string, double> { ["BTC-USD"] = 101 });

        var totals = attribution.Totals;
        Assert.Equal(60, totals["tech"], 9);
        Assert.Equal(-30, totals["sent"], 9);
        Assert.Equal(-20, totals[PnlAttribution.Unattributed], 9);
        Assert.Equal(10 * (101 - 100.0), totals.Values.Sum(), 9);
    }
}
