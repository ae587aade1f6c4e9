using AgentFirm.Core;

namespace AgentFirm.Quant.Tests.Indicators;

public class AsOfAndWarmUpTests
{
    [Theory]
    [MemberData(nameof(IndicatorCatalog.Names), MemberType = typeof(IndicatorCatalog))]
    public void Appending_future_bars_never_changes_a_past_value(string name)
    {
        // The same 150-bar past followed by two different futures (one a crash): every past output is identical.
        var c = IndicatorCatalog.Get(name);
        var past = TestBars.Random(150, 11);
        var calm = past.Concat(Continue(past[^1], TestBars.Random(150, 12), 1.0)).ToArray();
        var crash = past.Concat(Continue(past[^1], TestBars.Random(150, 13), 0.3)).ToArray();
        var alone = Run(c, past);
        var withCalm = Run(c, calm);
        var withCrash = Run(c, crash);
        for (var t = 0; t < past.Length; t++)
            for (var k = 0; k < alone[t].Length; k++)
            {
                Assert.Equal(alone[t][k], withCalm[t][k]);
                Assert.Equal(alone[t][k], withCrash[t][k]);
            }
    }

    [Theory]
    [MemberData(nameof(IndicatorCatalog.Names), MemberType = typeof(IndicatorCatalog))]
    public void Each_output_appears_exactly_at_its_warm_up(string name)
    {
        var c = IndicatorCatalog.Get(name);
        var outputs = Run(c, TestBars.Random(60, 5));
        for (var k = 0; k < c.WarmUps.Length; k++)
        {
            var first = c.WarmUps[k];
            for (var t = 0; t < first - 1; t++) Assert.True(double.IsNaN(outputs[t][k]), $"{name}[{k}] defined at bar {t + 1}, before its warm-up {first}");
            for (var t = first - 1; t < outputs.Length; t++) Assert.True(double.IsFinite(outputs[t][k]), $"{name}[{k}] not finite at bar {t + 1}");
        }

        var indicator = c.Create();
        Assert.Equal(c.WarmUps.Max(), indicator.WarmUpPeriod);
        var bars = TestBars.Random(60, 6);
        for (var t = 0; t < bars.Length; t++)
        {
            Assert.Equal(t >= indicator.WarmUpPeriod, indicator.IsReady);
            Assert.Equal(indicator.IsReady, !double.IsNaN(indicator.Value));
            indicator.Update(bars[t]);
            Assert.Equal(t + 1, indicator.Samples);
        }
    }

    private static double[][] Run(IndicatorCase c, Bar[] bars)
    {
        var indicator = c.Create();
        var rows = new double[bars.Length][];
        for (var t = 0; t < bars.Length; t++)
        {
            indicator.Update(bars[t]);
            rows[t] = c.Read(indicator);
        }
        return rows;
    }

    /// <summary>Re-bases a random path so it continues from <paramref name="last"/>, scaled by <paramref name="level"/>.</summary>
    internal static IEnumerable<Bar> Continue(Bar last, Bar[] path, double level)
    {
        var scale = last.Close * level / path[0].Open;
        return path.Select((b, i) => new Bar(last.Time.AddHours(i + 1), b.Duration, b.Open * scale, b.High * scale, b.Low * scale, b.Close * scale, b.Volume));
    }
}
