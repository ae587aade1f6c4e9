using System.Globalization;
using System.Text;
using AgentFirm.Core;

namespace AgentFirm.Causal.Tests;

/// <summary>
/// The analyst is handed the whole panel, future steps included, and trusted to read nothing after the decision
/// step. These tests do not take that on trust: they rewrite every target and driver value after the decision step
/// and require the view, its parents and every screened link at the decision step to be bit-for-bit the same.
/// </summary>
public sealed class CausalLookaheadTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int Steps = 480;

    // Planted at lag 1, so the parent the view reads is driver[asOf]: the last known value, right beside the first unknown one.
    private static (double[] Target, DriverSeries[] Drivers) Planted() => Synthetic.Planted(seed: 21, n: Steps, beta: 0.6, lag: 1);

    /// <summary>Every value after <paramref name="asOf"/> replaced by shifted, scaled fresh noise (a different future, different volatility).</summary>
    private static double[] Rewritten(IReadOnlyList<double> values, int asOf, Random random) =>
        values.Select((v, t) => t <= asOf ? v : 2 + 5 * Synthetic.Normal(random)).ToArray();

    private static CausalPanel Panel(double[] target, DriverSeries[] drivers) =>
        new(Enumerable.Range(0, target.Length).Select(t => T0.AddDays(t + 1)).ToArray(), target, drivers);

    private static CausalPanel Perturbed(CausalPanel panel, int asOf)
    {
        var random = new Random(asOf);
        return panel with
        {
            Target = Rewritten(panel.Target, asOf, random),
            Drivers = panel.Drivers.Select(d => d with { Values = Rewritten(d.Values, asOf, random) }).ToArray(),
        };
    }

    [Theory]
    [InlineData(ScreenMethod.Pcmci)]
    [InlineData(ScreenMethod.LaggedCorrelation)]
    public void Rewriting_every_step_after_the_decision_leaves_the_view_and_its_parents_unchanged(ScreenMethod method)
    {
        var (target, drivers) = Planted();
        var panel = Panel(target, drivers);
        var analyst = new CausalFeatureAnalyst(CausalAnalystOptions.Default with { Screen = new ScreenOptions(Window: 200, Method: method) });
        foreach (var asOf in new[] { 260, 331, 402, Steps - 2 })
        {
            var future = Perturbed(panel, asOf);
            var real = analyst.Analyse(panel, asOf);
            var seen = analyst.Analyse(future, asOf);
            // Not vacuous: the planted lag-1 parent is found and read, and the rewrite does change the next step's view.
            Assert.Contains(real.Signals, s => s.Link is { Driver: "planted", Lag: 1 });
            Assert.Equal(Fingerprint(real), Fingerprint(seen));
            Assert.Equal(Fingerprint(analyst.Assess("BTC-USDT", panel, asOf)), Fingerprint(analyst.Assess("BTC-USDT", future, asOf)));
            Assert.Equal(analyst.NetworkDensity(panel, "ret", asOf), analyst.NetworkDensity(future, "ret", asOf));
            Assert.NotEqual(Fingerprint(analyst.Analyse(panel, asOf + 1)), Fingerprint(analyst.Analyse(future, asOf + 1)));
        }
    }

    [Fact]
    public void Rewriting_every_step_after_the_decision_leaves_the_network_views_unchanged()
    {
        var (target, drivers) = Planted();
        var random = new Random(4);
        var second = Synthetic.Noise(random, Steps);
        for (var t = 2; t < Steps; t++) second[t] += 0.5 * drivers[1].Values[t - 2]; // noise0 leads the second asset at lag 2
        var variables = new List<DriverSeries> { new("btc_ret", target), new("eth_ret", second) };
        variables.AddRange(drivers);
        var times = Enumerable.Range(0, Steps).Select(t => T0.AddDays(t + 1)).ToArray();
        var panel = new CausalNetworkPanel(times, variables);
        (string, string)[] targets = [("BTC-USDT", "btc_ret"), ("ETH-USDT", "eth_ret")];
        var analyst = new CausalFeatureAnalyst(CausalAnalystOptions.Default with { Screen = new ScreenOptions(Window: 200) });
        foreach (var asOf in new[] { 290, 417 })
        {
            var rng = new Random(asOf);
            var future = panel with { Variables = panel.Variables.Select(v => v with { Values = Rewritten(v.Values, asOf, rng) }).ToArray() };
            var real = analyst.AssessNetwork(panel, targets, asOf);
            var seen = analyst.AssessNetwork(future, targets, asOf);
            Assert.Contains(real["BTC-USDT"].Evidence, e => e.Name == "planted[t-1]");
            Assert.Contains(real["ETH-USDT"].Evidence, e => e.Name == "noise0[t-2]");
            foreach (var (symbol, _) in targets) Assert.Equal(Fingerprint(real[symbol]), Fingerprint(seen[symbol]));
        }
    }

    // Doubles as their bit patterns ("R" would do too, but bits leave no doubt about -0 and NaN payloads).
    private static string B(double x) => BitConverter.DoubleToInt64Bits(x).ToString("X16", CultureInfo.InvariantCulture);

    private static string Fingerprint(CausalAssessment a)
    {
        var sb = new StringBuilder();
        sb.Append($"dir {B(a.Direction)} conf {B(a.Confidence)} density {B(a.Screen.Density)} asof {a.Screen.AsOf}\n");
        foreach (var l in a.Screen.Tests) sb.Append($"test {Link(l)}\n");
        foreach (var l in a.Screen.Parents) sb.Append($"parent {Link(l)}\n");
        foreach (var s in a.Signals) sb.Append($"signal {Link(s.Link)} x {B(s.DriverValue)} z {B(s.DriverZ)}\n");
        return sb.ToString();
    }

    private static string Link(CausalLink l) => $"{l.Driver}[t-{l.Lag}] r {B(l.Correlation)} p {B(l.PValue)} n {l.Samples}";

    private static string Fingerprint(AgentView v)
    {
        var sb = new StringBuilder($"{v.Agent} {v.Symbol} {v.AsOf:O} dir {B(v.Direction)} conf {B(v.Confidence)} {v.Horizon} {v.Rationale}\n");
        foreach (var e in v.Evidence) sb.Append($"{e.Name} {B(e.Value)} {e.Note}\n");
        return sb.ToString();
    }
}
