using AgentFirm.Core;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Quant.Tests.Indicators;

public class FeatureSetsTests
{
    [Fact]
    public void All_starts_with_the_core_columns_and_has_over_a_hundred_unique_names()
    {
        var all = FeatureSets.Names(FeatureSetKind.All);
        Assert.Equal(CoreFeatureSet.Names, all.Take(CoreFeatureSet.Names.Count));
        Assert.True(all.Count > 100, $"only {all.Count} features");
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Contains("KMID", all);
        Assert.Contains("VSUMD60", all);
        Assert.Contains("adx14", all);
        Assert.Equal(CoreFeatureSet.Names, FeatureSets.Names(FeatureSetKind.Core));
    }

    [Fact]
    public void Parse_accepts_core_and_all_only()
    {
        Assert.Equal(FeatureSetKind.Core, FeatureSets.Parse("core"));
        Assert.Equal(FeatureSetKind.All, FeatureSets.Parse(" ALL "));
        Assert.Throws<ArgumentException>(() => FeatureSets.Parse("most"));
    }

    [Fact]
    public void Appending_future_bars_never_changes_a_past_value_of_any_column_of_all()
    {
        var past = TestBars.Random(260, 31);
        var calm = past.Concat(AsOfAndWarmUpTests.Continue(past[^1], TestBars.Random(120, 32), 1.0)).ToArray();
        var crash = past.Concat(AsOfAndWarmUpTests.Continue(past[^1], TestBars.Random(120, 33), 0.3)).ToArray();
        var alone = FeatureSets.Compute(past, FeatureSetKind.All);
        foreach (var longer in new[] { calm, crash })
        {
            var full = FeatureSets.Compute(longer, FeatureSetKind.All);
            Assert.Equal(alone.Names, full.Names);
            for (var c = 0; c < alone.Columns.Length; c++)
                for (var t = 0; t < past.Length; t++)
                    Assert.True(alone.Columns[c][t].Equals(full.Columns[c][t]), $"{alone.Names[c]} at bar {t}: {alone.Columns[c][t]} alone, {full.Columns[c][t]} with future bars");
        }
    }

    [Fact]
    public void Every_column_of_all_is_finite_after_the_warm_up_even_with_filler_bars()
    {
        var bars = TestBars.Random(400, 34);
        Assert.Contains(bars, b => b.IsFiller);
        var table = FeatureSets.Compute(bars, FeatureSetKind.All);
        var warm = FeatureSets.WarmUpPeriod(FeatureSetKind.All);
        for (var c = 0; c < table.Columns.Length; c++)
            for (var t = warm - 1; t < bars.Length; t++)
                Assert.True(double.IsFinite(table.Columns[c][t]), $"{table.Names[c]} at bar {t} is {table.Columns[c][t]}");
        // And some column is still warming up the bar before.
        Assert.Contains(table.Columns, column => double.IsNaN(column[warm - 2]));
    }
}
