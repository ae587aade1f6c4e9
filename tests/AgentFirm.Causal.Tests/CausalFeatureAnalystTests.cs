using AgentFirm.Causal;

namespace AgentFirm.Causal.Tests;

public sealed class CausalFeatureAnalystTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CausalPanel Panel(double[] target, DriverSeries[] drivers) =>
        new(Enumerable.Range(0, target.Length).Select(t => T0.AddDays(t + 1)).ToArray(), target, drivers);

    [Fact]
    public void View_follows_the_planted_driver_and_predicts_the_next_step()
    {
        var (target, drivers) = Synthetic.Planted(seed: 5, n: 900, beta: 0.5, lag: 2);
        var panel = Panel(target, drivers);
        var analyst = new CausalFeatureAnalyst(CausalAnalystOptions.Default with { Screen = new ScreenOptions(Window: 300) });

        double hits = 0, follows = 0, count = 0;
        for (var asOf = 400; asOf < 899; asOf++)
        {
            var view = analyst.Assess("BTC-USDT", panel, asOf);
            Assert.Contains(view.Evidence, e => e.Name == "planted[t-2]");
            Assert.Equal("causal", view.Agent);
            Assert.Equal(panel.Times[asOf], view.AsOf);
            // x[asOf + 1 - 2] leads target[asOf + 1]; the view reads it standardised over the window
            var windowMean = drivers[0].Values.Skip(asOf - 299).Take(300).Average();
            if (Math.Sign(drivers[0].Values[asOf - 1] - windowMean) == Math.Sign(view.Direction)) follows++;
            if (Math.Sign(view.Direction) == Math.Sign(target[asOf + 1])) hits++;
            count++;
        }
        // Overlapping windows let a chance correlation persist (here the planted driver at lag 3 in about 40% of
        // steps, a noise driver in about 13%), and such a false parent can outvote a planted value near zero.
        Assert.True(follows / count > 0.85, $"view follows the planted driver in {follows / count:P1} of steps");
        Assert.True(hits / count > 0.6, $"hit rate {hits / count:P1}"); // corr 0.45 gives about 65% sign agreement
    }

    [Fact]
    public void View_is_explained_with_parents_and_network_density()
    {
        var (target, drivers) = Synthetic.Planted(seed: 6, n: 400, beta: 0.5, lag: 2);
        var view = new CausalFeatureAnalyst().Assess("ETH-USDT", Panel(target, drivers), 399);
        Assert.Contains(view.Evidence, e => e.Name == "planted[t-2]");
        Assert.Contains(view.Evidence, e => e.Name == "network_density" && e.Value > 0);
        Assert.Contains("planted at lag 2", view.Rationale);
        Assert.InRange(view.Confidence, 0.2, 0.7);
    }

    [Fact]
    public void Shuffled_drivers_give_no_view_in_most_runs()
    {
        const int runs = 100;
        var neutral = 0;
        for (var seed = 0; seed < runs; seed++)
        {
            var (target, drivers) = Synthetic.Planted(seed + 500, n: 300, beta: 0.5, lag: 2);
            var random = new Random(seed);
            var shuffled = drivers.Select(d => d with { Values = Synthetic.Shuffled(d.Values.ToArray(), random) }).ToArray();
            if (new CausalFeatureAnalyst().Assess("X-USDT", Panel(target, shuffled), 299).Direction == 0) neutral++;
        }
        Assert.True(neutral >= runs * (1 - 0.05) - 3 * Math.Sqrt(runs * 0.05 * 0.95), $"{neutral} of {runs} runs neutral");
    }

    [Fact]
    public void Network_density_is_higher_when_links_exist()
    {
        var (target, drivers) = Synthetic.Planted(seed: 7, n: 400, beta: 0.6, lag: 1);
        var analyst = new CausalFeatureAnalyst();
        var linked = analyst.NetworkDensity(Panel(target, drivers), "ret", 399);
        var random = new Random(1);
        var noise = analyst.NetworkDensity(Panel(Synthetic.Noise(random, 400), drivers.Select(d => d with { Values = Synthetic.Noise(random, 400) }).ToArray()), "ret", 399);
        Assert.True(linked > noise, $"density {linked:F3} with a link vs {noise:F3} without");
        Assert.True(noise < 0.05);
    }

    [Fact]
    public void A_parent_whose_current_value_is_masked_is_left_out()
    {
        var (target, drivers) = Synthetic.Planted(seed: 8, n: 400, beta: 0.5, lag: 2);
        var x = drivers[0].Values.ToArray();
        x[398] = double.NaN; // the value that would lead step 400
        var view = new CausalFeatureAnalyst().Assess("X-USDT", Panel(target, [drivers[0] with { Values = x }, .. drivers[1..]]), 399);
        Assert.Equal(0, view.Direction);
        Assert.Contains(view.Evidence, e => e.Name == "network_density" && e.Value > 0);
    }
}
