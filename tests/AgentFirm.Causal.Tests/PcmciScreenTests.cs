using AgentFirm.Causal;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Causal.Tests;

public sealed class PcmciScreenTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_common_cause_fools_the_correlation_screen_but_not_pcmci()
    {
        // z drives x one step later and the target two steps later, so x[t-1] correlates with target[t]
        // without causing it; PCMCI conditions on z[t-2] and drops x.
        var random = new Random(4);
        const int n = 600;
        var z = Synthetic.Noise(random, n);
        var x = new double[n];
        var y = new double[n];
        for (var t = 0; t < n; t++)
        {
            x[t] = (t >= 1 ? 0.8 * z[t - 1] : 0) + 0.6 * Synthetic.Normal(random);
            y[t] = (t >= 2 ? 0.6 * z[t - 2] : 0) + Synthetic.Normal(random);
        }
        DriverSeries[] drivers = [new("x", x), new("z", z)];
        var options = new ScreenOptions(MaxLag: 3, Window: 500);

        var correlation = new LaggedCorrelationScreen(options).Screen(y, drivers, n - 1);
        Assert.Contains(correlation.Parents, p => p.Driver == "x" && p.Lag == 1);

        var pcmci = new PcmciScreen(options).Screen(y, drivers, n - 1);
        Assert.Equal([("z", 2)], pcmci.Parents.Select(p => (p.Driver, p.Lag)));
        Assert.True(pcmci.Parents[0].Correlation > 0.3);
        Assert.NotNull(pcmci.NetworkDensity); // z -> x and z -> y in a network of 3 x 3 x 3 lagged links
        Assert.InRange(pcmci.Density, 2 / 27.0 - 1e-12, 4 / 27.0 + 1e-12);
    }

    [Fact]
    public void Results_do_not_depend_on_data_after_the_decision_step_and_repeat_exactly()
    {
        var (target, drivers) = Synthetic.Planted(seed: 9, n: 400, beta: 0.5, lag: 2);
        var screen = new PcmciScreen(new ScreenOptions(Window: 200));
        var full = screen.Screen(target, drivers, 300);
        var cut = screen.Screen(target[..301], drivers.Select(d => d with { Values = d.Values.Take(301).ToArray() }).ToArray(), 300);
        Assert.Equal(full.Parents, cut.Parents);
        Assert.Equal(full.Tests, cut.Tests);
        Assert.Equal(full.Density, cut.Density);
        Assert.Equal(full.Tests, screen.Screen(target, drivers, 300).Tests);
    }

    [Fact]
    public void Drivers_without_data_in_the_window_are_left_out_not_failed()
    {
        var (target, drivers) = Synthetic.Planted(seed: 10, n: 300, beta: 0.5, lag: 1);
        var empty = new DriverSeries("not_started", Enumerable.Repeat(double.NaN, 300).ToArray());
        var flat = new DriverSeries("flat", Enumerable.Repeat(0.0001, 300).ToArray());
        var result = new PcmciScreen().Screen(target, [.. drivers, empty, flat], 299);
        Assert.DoesNotContain(result.Tests, t => t.Driver is "not_started" or "flat");
        Assert.Contains(result.Parents, p => p.Driver == "planted" && p.Lag == 1);
        Assert.Empty(new PcmciScreen().Screen(target, drivers, 20).Tests); // too short a window: no screen
    }

    [Fact]
    public void Shuffled_drivers_are_selected_no_more_often_than_alpha_allows()
    {
        // Under the null each run selects a driver with probability <= alpha (BH over the target's links controls the
        // family-wise rate when every null is true). 200 runs: expect <= 10; allow three binomial deviations.
        const int runs = 200;
        const double alpha = 0.05;
        var falseRuns = 0;
        var screen = new PcmciScreen(new ScreenOptions(Window: 250, Alpha: alpha));
        for (var seed = 0; seed < runs; seed++)
        {
            var (target, drivers) = Synthetic.Planted(seed + 1000, n: 260, beta: 0.5, lag: 2);
            var random = new Random(seed);
            var shuffled = drivers.Select(d => d with { Values = Synthetic.Shuffled(d.Values.ToArray(), random) }).ToArray();
            if (screen.Screen(target, shuffled, 259).Parents.Any(p => p.Driver != PcmciScreen.Self)) falseRuns++;
        }
        Assert.True(falseRuns <= runs * alpha + 3 * Math.Sqrt(runs * alpha * (1 - alpha)), $"{falseRuns} of {runs} runs selected a shuffled driver");
    }

    [Fact]
    public void A_network_screen_reads_the_same_links_as_a_screen_per_target()
    {
        var (target, drivers) = Synthetic.Planted(seed: 12, n: 400, beta: 0.5, lag: 2);
        var screen = new PcmciScreen(new ScreenOptions(Window: 300));
        var single = screen.Screen(target, drivers, 399);
        var network = screen.ScreenNetwork([new DriverSeries("ret", target), .. drivers], ["ret", "noise0"], 399);
        Assert.Equal(single.Parents, network["ret"].Parents); // the target's own past is reported as self either way
        Assert.Equal(single.Tests, network["ret"].Tests);
        Assert.Equal(single.Density, network["ret"].Density);
        Assert.Equal(network["ret"].Density, network["noise0"].Density); // one network, one density
        Assert.Contains(network["noise0"].Tests, t => t.Driver == "ret");
        Assert.Throws<ArgumentException>(() => screen.ScreenNetwork(drivers, ["nowhere"], 399));
    }

    /// <summary>The daily simulator fed through the panel the grain uses: bars plus the on-chain series as they become known.</summary>
    private static (RollingCausalPanel Panel, int Steps) SimulatedPanel(long seed, double netflowStrength, bool shuffleSide)
    {
        var sim = new MarketSimulator(new SimulatorOptions
        {
            Seed = seed, Days = 400, Timeframe = Timeframe.Day, SentimentStrength = 0,
            Assets = [AssetProfile.For("BTC-USDT"), AssetProfile.For("ETH-USDT")],
            OnChain = new OnChainSettings(MvrvStrength: 0, NetflowStrength: netflowStrength, ActiveAddressStrength: 0),
        }).Run();
        var btc = sim["BTC-USDT"];
        var onChain = btc.OnChain.ToArray();
        if (shuffleSide)
        {
            var random = new Random((int)seed);
            var flows = Synthetic.Shuffled(onChain.Select(o => o.ExchangeNetflow ?? double.NaN).ToArray(), random);
            onChain = onChain.Select((o, i) => o with { ExchangeNetflow = flows[i] }).ToArray();
        }
        var known = onChain.ToDictionary(o => o.KnownAt);
        var panel = new RollingCausalPanel(capacity: 400);
        var latest = new Dictionary<string, double>();
        var days = btc.Bars.Count;
        for (var d = 0; d < days; d++)
        {
            var close = btc.Bars[d].CloseTime;
            if (known.TryGetValue(close, out var row))
            {
                latest["BTC-USDT:exchange_netflow"] = row.ExchangeNetflow ?? double.NaN;
                latest["BTC-USDT:mvrv"] = row.Mvrv ?? double.NaN;
            }
            var eth = sim["ETH-USDT"].OnChain.FirstOrDefault(o => o.KnownAt == close);
            if (eth.KnownAt == close) latest["ETH-USDT:exchange_netflow"] = eth.ExchangeNetflow ?? double.NaN;
            panel.Record(close, sim.Assets.Select(a => (a.Symbol, a.Bars[d])), latest);
        }
        return (panel, days);
    }

    [Fact]
    public void On_simulator_data_the_planted_netflow_is_selected_and_its_shuffle_is_not()
    {
        var analyst = new CausalFeatureAnalyst(CausalAnalystOptions.Default with { Screen = new ScreenOptions(MaxLag: 3, Window: 350) });
        int found = 0, foundShuffled = 0;
        const int seeds = 10;
        for (var seed = 1; seed <= seeds; seed++)
        {
            // planted: netflow of day d (positive = onto exchanges) lowers the return of day d + 1
            var (panel, steps) = SimulatedPanel(seed, netflowStrength: 0.35, shuffleSide: false);
            var a = analyst.Analyse(panel.For("BTC-USDT")!, steps - 1);
            if (a.Screen.Parents.Any(p => p.Driver == "BTC-USDT:exchange_netflow" && p.Lag == 1 && p.Correlation < 0)) found++;

            var (shuffled, _) = SimulatedPanel(seed, netflowStrength: 0.35, shuffleSide: true);
            if (analyst.Analyse(shuffled.For("BTC-USDT")!, steps - 1).Screen.Parents.Any(p => p.Driver == "BTC-USDT:exchange_netflow")) foundShuffled++;
        }
        Assert.True(found >= 9, $"planted netflow found in {found} of {seeds} seeds");
        Assert.True(foundShuffled <= 2, $"shuffled netflow selected in {foundShuffled} of {seeds} seeds");
    }

    [Fact]
    public void One_network_screen_finds_each_assets_own_planted_netflow()
    {
        var analyst = new CausalFeatureAnalyst(CausalAnalystOptions.Default with { Screen = new ScreenOptions(MaxLag: 3, Window: 350) });
        int btc = 0, eth = 0;
        const int seeds = 5;
        for (var seed = 1; seed <= seeds; seed++)
        {
            var (panel, steps) = SimulatedPanel(seed, netflowStrength: 0.35, shuffleSide: false);
            var views = analyst.AssessNetwork(panel.Network(), [("BTC-USDT", "BTC-USDT:return"), ("ETH-USDT", "ETH-USDT:return")], steps - 1);
            if (views["BTC-USDT"].Evidence.Any(e => e.Name == "BTC-USDT:exchange_netflow[t-1]")) btc++;
            if (views["ETH-USDT"].Evidence.Any(e => e.Name == "ETH-USDT:exchange_netflow[t-1]")) eth++;
            Assert.Contains(views["BTC-USDT"].Evidence, e => e.Name == "network_density" && e.Value > 0);
        }
        Assert.True(btc >= 4 && eth >= 4, $"BTC's netflow found in {btc}, ETH's in {eth} of {seeds} seeds");
    }
}
