using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Models.Deep.Execution;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;
using AgentFirm.Quant.Strategies;

namespace AgentFirm.Bench;

/// <summary>
/// `execution`: child-order decisions per second of the RL execution policy (observation encoding, the MLP the
/// trainer exports, 8-32-32-6, and the action's child order; single thread, CPU; the weights are seeded at random
/// since speed does not depend on them); bar events per second of the engine with sub-steps (daily decision bars
/// traded on their hourly sub-bars, each decision bar and each sub-bar one event) beside the plain engine on the
/// hourly bars; and sub-step events per second of the parent-order venue working TWAP parents on the hourly bars.
/// </summary>
internal static class ExecutionBenchmark
{
    public static JsonObject Run()
    {
        var (hourly, source) = BenchData.HourlyBtcEth();

        // RL policy decisions.
        var policy = SeededPolicy(32, 3);
        var random = new Random(5);
        var states = Enumerable.Range(0, 4_096).Select(_ => new ExecutionState(random.Next(60), 60, 100, 100 * random.NextDouble(), 100,
            50 + 100 * random.NextDouble(), 0.001 * random.NextDouble(), 2, 10 * random.NextDouble(), 20 * random.NextDouble())).ToArray();
        var x = new float[ExecutionObservation.Features];
        double sink = 0;
        const int decisions = 400_000;
        var rl = Measure.Best(() =>
        {
            for (var n = 0; n < decisions; n++)
            {
                ref readonly var s = ref states[n & 4_095];
                ExecutionObservation.Encode(s, x);
                sink += ExecutionObservation.Child(policy.Greedy(x), s).Quantity;
            }
        }, TimeSpan.FromSeconds(4));

        // Engine: plain hourly vs daily decisions on hourly sub-bars.
        var daily = hourly.Select(m => new MarketSeries(m.Instrument, Daily(m.Bars)) { SubBars = m.Bars }).ToArray();
        var engine = new BacktestEngine(new BacktestOptions());
        var plainEvents = hourly.Sum(m => m.Bars.Count);
        var subEvents = daily.Sum(m => m.Bars.Count + m.SubBars!.Count);
        var plain = Measure.Best(() => engine.RunAsync(hourly, new SmaCross(24, 24 * 7)).GetAwaiter().GetResult(), TimeSpan.FromSeconds(4));
        var stepped = Measure.Best(() => engine.RunAsync(daily, new SmaCross(2, 7)).GetAwaiter().GetResult(), TimeSpan.FromSeconds(4));

        // Venue: TWAP parents of one day on the hourly bars, every day.
        var bars = hourly[0].Bars as Bar[] ?? hourly[0].Bars.ToArray();
        var spec = new StudySpec(bars[0].Time.AddDays(2), bars[^1].CloseTime, TimeSpan.FromDays(1), TimeSpan.FromDays(1), 0.01, 1);
        var parents = ExecutionStudy.Parents(bars, hourly[0].Instrument.Symbol, spec);
        var simulator = new ParentOrderSimulator(new VenueModel());
        long venueSteps = 0;
        var venue = Measure.Best(() =>
        {
            venueSteps = 0;
            var twap = new Twap();
            foreach (var p in parents) venueSteps += simulator.Work(p, bars, twap).Steps;
        }, TimeSpan.FromSeconds(4));

        var rate = decisions / rl.BestSeconds;
        return new JsonObject
        {
            ["bench"] = "execution",
            ["data"] = source,
            ["rl_policy"] = "8-32-32-6 tanh MLP, managed, greedy",
            ["rl_child_decisions_per_s"] = Math.Round(rate),
            ["goal_rl_child_decisions_per_s"] = 100_000,
            ["plain_engine_bar_events"] = plainEvents,
            ["plain_engine_bar_events_per_s"] = Math.Round(plainEvents / plain.BestSeconds),
            ["sub_stepped_engine_bar_events"] = subEvents,
            ["sub_stepped_engine_bar_events_per_s"] = Math.Round(subEvents / stepped.BestSeconds),
            ["venue_parents"] = parents.Count,
            ["venue_sub_steps_per_s"] = Math.Round(venueSteps / venue.BestSeconds),
            ["runs"] = rl.Runs,
            ["checksum"] = sink > 0 ? 1 : 0,
        };
    }

    /// <summary>UTC-day bars built from the hourly ones (a day with no hourly bar has no daily bar).</summary>
    private static Bar[] Daily(IReadOnlyList<Bar> hourly) => hourly
        .GroupBy(b => b.Time.UtcDateTime.Date)
        .Select(g => new Bar(new DateTimeOffset(g.Key, TimeSpan.Zero), TimeSpan.FromDays(1), g.First().Open, g.Max(b => b.High), g.Min(b => b.Low), g.Last().Close, g.Sum(b => b.Volume)))
        .ToArray();

    private static PolicyNetwork SeededPolicy(int hidden, int seed)
    {
        var random = new Random(seed);
        int[] sizes = [ExecutionObservation.Features, hidden, hidden, ExecutionObservation.Actions];
        var weights = new float[3][];
        var biases = new float[3][];
        for (var l = 0; l < 3; l++)
        {
            weights[l] = Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            biases[l] = new float[sizes[l + 1]];
        }
        return new PolicyNetwork(sizes, weights, biases);
    }
}
