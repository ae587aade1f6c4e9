using AgentFirm.Core;
using AgentFirm.Quant.Firm;

namespace AgentFirm.Quant.Tests.Firm;

public sealed class EvidenceCombinerTests
{
    private static readonly DateTimeOffset Start = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static AgentView View(string agent, DateTimeOffset time, double direction, double confidence, TimeSpan? horizon = null) =>
        new(agent, "BTC-USDT", time, direction, confidence, horizon ?? Day, [], "test");

    /// <summary>
    /// A planted market: each day the "informed" agent sees a signal s that moves the next close up with
    /// probability 0.62 when s > 0 (0.38 when s &lt; 0); the "noise" agent's views are coin flips.
    /// </summary>
    private static (EvidenceCombiner Combiner, List<(double Confidence, bool Right)> Calls) RunPlanted(int days, int seed)
    {
        var random = new Random(seed);
        var combiner = new EvidenceCombiner();
        var calls = new List<(double, bool)>();
        var close = 100.0;
        var weights = new Dictionary<string, double>();
        for (var d = 0; d < days; d++)
        {
            var time = Start + d * Day;
            combiner.Observe("BTC-USDT", time, close);
            var signal = random.NextDouble() < 0.5 ? 1 : -1;
            var views = new[]
            {
                View("informed", time, signal * (0.3 + 0.5 * random.NextDouble()), 0.6),
                View("noise", time, 2 * random.NextDouble() - 1, 0.7),
            };
            var call = combiner.Decide("BTC-USDT", views, Regime.Normal, time, close, Day, weights);
            var up = random.NextDouble() < (signal > 0 ? 0.62 : 0.38);
            if (call.Direction != 0 && d >= days / 2) calls.Add((call.Confidence, up == call.Direction > 0));
            close *= up ? 1.01 : 0.99;
        }
        return (combiner, calls);
    }

    [Fact]
    public void An_informed_agent_earns_trust_a_noise_agent_does_not_and_the_confidence_is_calibrated()
    {
        var (combiner, calls) = RunPlanted(days: 2000, seed: 11);

        var fit = combiner.AgentCalibration("informed")!;
        // The planted edge is logit(0.62) = 0.49 for any informed view; at a typical view (x = 0.3) the shrunk fit must see most of it.
        Assert.True(fit.LogOdds(0.3, 1.0) > 0.25, $"informed log-odds at x = 0.3: {fit.LogOdds(0.3, 1.0)}");
        Assert.True(combiner.Trust("informed") > 0.15, $"informed trust {combiner.Trust("informed")}: {fit.Coefficients} ± {fit.StandardErrors} on {fit.Count}");
        var noise = combiner.AgentCalibration("noise")!;
        Assert.True(Math.Abs(noise.LogOdds(0.3, 1.0)) < 0.1, $"noise log-odds at x = 0.3: {noise.LogOdds(0.3, 1.0)}");
        // The second half's calls: stated confidence within 0.05 of the observed hit rate (62% planted).
        var stated = calls.Average(c => c.Confidence);
        var observed = calls.Average(c => c.Right ? 1.0 : 0.0);
        Assert.True(calls.Count > 800, $"only {calls.Count} calls");
        Assert.True(Math.Abs(stated - observed) < 0.05, $"stated {stated:0.000}, observed {observed:0.000}");
        Assert.InRange(observed, 0.56, 0.68);
    }

    [Fact]
    public void A_call_is_scored_only_when_its_horizon_has_passed()
    {
        var combiner = new EvidenceCombiner(new EvidenceOptions { RefitEvery = 1 });
        var weights = new Dictionary<string, double>();
        // Week-long bullish calls made daily, each right: none may count before seven days have passed.
        for (var d = 0; d < 7; d++)
        {
            var time = Start + d * Day;
            combiner.Observe("BTC-USDT", time, 100 + d);
            combiner.Decide("BTC-USDT", [View("slow", time, 1, 1, TimeSpan.FromDays(7))], Regime.Normal, time, 100 + d, Day, weights);
            Assert.Equal(0, combiner.AgentCalibration("slow")!.Count);
        }
        combiner.Observe("BTC-USDT", Start + 7 * Day, 120);
        Assert.Equal(1, combiner.AgentCalibration("slow")!.Count); // the first call, made at day 0, is due at day 7
    }

    [Fact]
    public void Views_of_other_symbols_and_broken_numbers_say_nothing()
    {
        var combiner = new EvidenceCombiner();
        var weights = new Dictionary<string, double>();
        var call = combiner.Decide("BTC-USDT",
            [View("a", Start, double.NaN, 0.9), new AgentView("b", "ETH-USDT", Start, 1, 1, Day, [], "other asset")],
            Regime.Normal, Start, 100, Day, weights);
        Assert.Equal(0.5, call.ProbabilityUp);
        Assert.Equal(0, call.Direction);
        Assert.False(weights.ContainsKey("b"));
    }

    [Fact]
    public void Decisions_never_depend_on_outcomes_that_resolve_later()
    {
        // Two runs share every input up to day 300; afterwards one market rises and the other falls.
        // Every call up to and including day 300 must be identical, bit for bit.
        static List<double> Run(bool laterUp)
        {
            var random = new Random(5);
            var combiner = new EvidenceCombiner();
            var weights = new Dictionary<string, double>();
            var probabilities = new List<double>();
            var close = 100.0;
            for (var d = 0; d < 400; d++)
            {
                var time = Start + d * Day;
                combiner.Observe("BTC-USDT", time, close);
                var view = View("informed", time, 2 * random.NextDouble() - 1, 0.8);
                probabilities.Add(combiner.Decide("BTC-USDT", [view], Regime.Normal, time, close, Day, weights).ProbabilityUp);
                var up = d < 300 ? view.Direction > 0 == random.NextDouble() < 0.65 : laterUp;
                close *= up ? 1.01 : 0.99;
            }
            return probabilities;
        }

        var rising = Run(true);
        var falling = Run(false);
        for (var d = 0; d <= 300; d++) Assert.Equal(rising[d], falling[d]);
        Assert.NotEqual(rising[^1], falling[^1]); // and the later outcomes do matter afterwards
    }
}
