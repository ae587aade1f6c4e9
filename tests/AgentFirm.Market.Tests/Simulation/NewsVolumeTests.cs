using AgentFirm.Core;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Market.Tests.Simulation;

public sealed class NewsVolumeTests
{
    private static SimulationResult Run(double k) => new MarketSimulator(new SimulatorOptions
    {
        Seed = 9, Days = 400, Timeframe = Timeframe.Day, Assets = [AssetProfile.For("BTC-USDT")], NewsVolumeSensitivity = k, HeadlinesPerDay = 8,
    }).Run();

    [Fact]
    public void Off_by_default_and_when_on_only_volume_changes()
    {
        Assert.Equal(0, new SimulatorOptions().NewsVolumeSensitivity);
        var off = Run(0).Assets[0].Bars;
        var on = Run(1).Assets[0].Bars;
        Assert.Equal(off.Select(b => b.Close), on.Select(b => b.Close));
        Assert.NotEqual(off.Select(b => b.Volume), on.Select(b => b.Volume));
    }

    [Fact]
    public void Good_news_days_trade_more()
    {
        // The day's headline tone (positive minus negative labels) reflects the latent mood; with the link on,
        // so does log volume relative to the same run without it.
        var off = Run(0);
        var on = Run(1);
        var tone = new Dictionary<DateTime, double>();
        foreach (var h in on.Headlines.Where(h => h.Symbol == "BTC-USDT"))
            tone[h.Time.UtcDateTime.Date] = tone.GetValueOrDefault(h.Time.UtcDateTime.Date) + (h.Label == "positive" ? 1 : h.Label == "negative" ? -1 : 0);
        var xs = new List<double>();
        var ys = new List<double>();
        for (var d = 0; d < on.Assets[0].Bars.Count; d++)
        {
            var day = on.Assets[0].Bars[d].Time.UtcDateTime.Date;
            xs.Add(tone.GetValueOrDefault(day));
            ys.Add(Math.Log(on.Assets[0].Bars[d].Volume / off.Assets[0].Bars[d].Volume));
        }
        Assert.True(Correlation(xs, ys) > 0.4, $"correlation {Correlation(xs, ys):0.00}");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(2.5)]
    public void Out_of_range_sensitivity_is_bad_input(double k) =>
        Assert.Throws<BadInputException>(() => new SimulatorOptions { NewsVolumeSensitivity = k }.Validate());

    private static double Correlation(List<double> x, List<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my); }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
