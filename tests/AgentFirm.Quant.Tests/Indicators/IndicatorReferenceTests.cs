using AgentFirm.Core;
using AgentFirm.TestSupport;

namespace AgentFirm.Quant.Tests.Indicators;

/// <summary>Every streaming indicator against its naive from-scratch reference (<see cref="Naive"/>), bar by bar.</summary>
public class IndicatorReferenceTests
{
    [Theory]
    [MemberData(nameof(IndicatorCatalog.Names), MemberType = typeof(IndicatorCatalog))]
    public void Matches_naive_recomputation_at_every_bar_of_random_walks(string name)
    {
        foreach (var seed in new[] { 1, 2, 3 })
            AssertMatchesEveryBar(IndicatorCatalog.Get(name), TestBars.Random(400, seed), $"seed {seed}");
    }

    [SkippableTheory]
    [MemberData(nameof(IndicatorCatalog.Names), MemberType = typeof(IndicatorCatalog))]
    public void Matches_naive_recomputation_at_every_bar_of_real_btc_slices(string name)
    {
        var bars = TestBars.RealBtcHourly();
        // The start of the history (the odd first bar included) and a 2021 stretch of large moves.
        AssertMatchesEveryBar(IndicatorCatalog.Get(name), bars[..800], "BTC 1h from 2017-08");
        AssertMatchesEveryBar(IndicatorCatalog.Get(name), bars[30_000..30_800], "BTC 1h from bar 30000");
    }

    [SkippableTheory]
    [MemberData(nameof(IndicatorCatalog.Names), MemberType = typeof(IndicatorCatalog))]
    public void No_drift_over_the_whole_real_hourly_history(string name)
    {
        // 60,000 streaming updates: the running sums must still match a from-scratch computation at the end.
        var bars = TestBars.RealBtcHourly();
        var c = IndicatorCatalog.Get(name);
        var indicator = c.Create();
        for (var t = 0; t < bars.Length; t++)
        {
            indicator.Update(bars[t]);
            if (t % 5_000 != 4_999 && t != bars.Length - 1) continue;
            var expected = c.Reference(bars.AsSpan(0, t + 1));
            var actual = c.Read(indicator);
            for (var k = 0; k < expected.Length; k++) IndicatorCatalog.AssertClose(expected[k], actual[k], $"{name}[{k}] at bar {t}");
        }
    }

    private static void AssertMatchesEveryBar(IndicatorCase c, Bar[] bars, string data)
    {
        var indicator = c.Create();
        for (var t = 0; t < bars.Length; t++)
        {
            indicator.Update(bars[t]);
            var expected = c.Reference(bars.AsSpan(0, t + 1));
            var actual = c.Read(indicator);
            for (var k = 0; k < expected.Length; k++) IndicatorCatalog.AssertClose(expected[k], actual[k], $"{c.Name}[{k}] at bar {t} ({data})");
        }
    }
}
