using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Quant.Indicators;
using AgentFirm.TestSupport;

namespace AgentFirm.Quant.Tests.Indicators;

public class CoreFeatureSetTests
{
    /// <summary>Each core column's naive reference over the history up to a bar.</summary>
    private static double[] Reference(ReadOnlySpan<Bar> h)
    {
        var macd = Naive.Macd(h);
        var bb = Naive.Bollinger(h);
        var st = Naive.Stochastic(h);
        return [Naive.Sma(h, 20), Naive.Ema(h, 20), Naive.Wma(h, 20), Naive.Rsi(h, 14), macd.Line, macd.Signal, macd.Histogram,
            Naive.Atr(h, 14), bb.Mid, bb.Upper, bb.Lower, Naive.RealisedVol(h), Naive.VolumeZ(h), st.K, st.D, Naive.Parkinson(h),
            Naive.GarmanKlass(h)];
    }

    [Fact]
    public void Columns_are_the_issue_five_core_set_in_order()
    {
        Assert.Equal(["sma20", "ema20", "wma20", "rsi14", "macd", "macd_signal", "macd_hist", "atr14", "bb_mid", "bb_upper",
            "bb_lower", "rv20", "vol_z20", "stoch_k14", "stoch_d3", "parkinson20", "garman_klass20"], CoreFeatureSet.Names);
    }

    [Fact]
    public void Every_column_matches_its_naive_reference_at_every_bar()
    {
        var bars = TestBars.Random(300, 21);
        var table = CoreFeatureSet.Compute(bars);
        Assert.Equal(bars.Select(b => b.Time), table.Times);
        for (var t = 0; t < bars.Length; t++)
        {
            var expected = Reference(bars.AsSpan(0, t + 1));
            for (var c = 0; c < expected.Length; c++) IndicatorCatalog.AssertClose(expected[c], table.Columns[c][t], $"{table.Names[c]} at bar {t}");
        }
    }

    [Fact]
    public void Array_and_list_inputs_give_identical_tables()
    {
        var bars = TestBars.Random(120, 26);
        var fromArray = CoreFeatureSet.Compute(bars);
        var fromList = CoreFeatureSet.Compute(bars.ToList());
        Assert.Equal(fromArray.Times, fromList.Times);
        for (var c = 0; c < fromArray.Columns.Length; c++) Assert.Equal(fromArray.Columns[c], fromList.Columns[c]);
    }

    [Fact]
    public void Warm_up_leaves_NaN_until_each_column_is_defined_and_all_are_by_bar_34()
    {
        var table = CoreFeatureSet.Compute(TestBars.Random(100, 22));
        int[] firstDefined = [20, 20, 20, 15, 26, 34, 34, 14, 20, 20, 20, 21, 20, 14, 16, 20, 20];
        for (var c = 0; c < table.Columns.Length; c++)
        {
            var first = Array.FindIndex(table.Columns[c], double.IsFinite) + 1;
            Assert.True(firstDefined[c] == first, $"{table.Names[c]}: first defined at bar {first}, expected {firstDefined[c]}");
        }
        Assert.Equal(firstDefined.Max(), CoreFeatureSet.WarmUpPeriod);
        Assert.All(table.Columns, column => Assert.All(column[(CoreFeatureSet.WarmUpPeriod - 1)..], v => Assert.True(double.IsFinite(v))));
    }

    [Fact]
    public void Appending_future_bars_never_changes_a_past_row()
    {
        var past = TestBars.Random(200, 23);
        var future = AsOfAndWarmUpTests.Continue(past[^1], TestBars.Random(200, 24), 0.5);
        AssertPrefix(CoreFeatureSet.Compute(past), CoreFeatureSet.Compute(past.Concat(future).ToArray()));
    }

    [SkippableFact]
    public void Real_hourly_btc_rows_are_as_of_and_match_the_reference_where_sampled()
    {
        var bars = TestBars.RealBtcHourly();
        var full = CoreFeatureSet.Compute(bars);
        AssertPrefix(CoreFeatureSet.Compute(bars[..(bars.Length / 2)]), full);
        for (var t = 33; t < bars.Length; t += 7_919)
        {
            var expected = Reference(bars.AsSpan(0, t + 1));
            for (var c = 0; c < expected.Length; c++) IndicatorCatalog.AssertClose(expected[c], full.Columns[c][t], $"{full.Names[c]} at bar {t}");
        }
    }

    [Fact]
    public void Csv_has_timestamp_then_columns_with_empty_warm_up_cells()
    {
        using var folder = new TempFolder();
        var path = folder.File("out/features.csv");
        var bars = TestBars.Random(60, 25);
        var table = CoreFeatureSet.Compute(bars);
        File.WriteAllText(folder.File("stale.txt"), "unrelated");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "an older file to be replaced whole");

        FeatureCsvWriter.Write(path, table);

        var lines = File.ReadAllLines(path);
        Assert.Equal("timestamp," + string.Join(',', CoreFeatureSet.Names), lines[0]);
        Assert.Equal(61, lines.Length);
        Assert.Equal("2024-01-01T00:00:00Z," + new string(',', 16), lines[1]); // bar 1: every cell empty
        var row34 = lines[34].Split(',');
        Assert.Equal("2024-01-02T09:00:00Z", row34[0]);
        for (var c = 0; c < table.Columns.Length; c++)
            Assert.Equal(table.Columns[c][33], double.Parse(row34[c + 1], CultureInfo.InvariantCulture)); // round-trips exactly
        var row20 = lines[20].Split(',');
        Assert.Equal(table.Columns[0][19], double.Parse(row20[1], CultureInfo.InvariantCulture)); // sma20 defined at bar 20
        Assert.Equal("", row20[5]); // macd not yet
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temp file left behind
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(33, 2)]
    [InlineData(5_000, 3)] // long enough for the two-thread path
    public void Batch_path_equals_the_streaming_path_within_1e_9(int count, int seed)
    {
        var bars = TestBars.Random(count, seed, start: 40_000);
        AssertSameWithin(CoreFeatureSet.ComputeStreaming(bars), CoreFeatureSet.Compute(bars), 1e-9);
    }

    [Fact]
    public void Batch_rows_do_not_depend_on_how_many_bars_follow_on_the_two_thread_path_with_jumps()
    {
        // Long enough for the two-thread split (which moves with the length) and with 25% jumps, whose log
        // ratios leave the fast series for Math.Log: a past row must come out bit for bit the same.
        var bars = TestBars.Random(12_000, 27);
        var rng = new Random(28);
        var scale = 1.0;
        for (var t = 0; t < bars.Length; t++)
        {
            if (rng.NextDouble() < 0.01) scale *= rng.NextDouble() < 0.5 ? 1.25 : 0.8;
            var b = bars[t];
            bars[t] = b with { Open = b.Open * scale, High = b.High * scale * 1.0001, Low = b.Low * scale, Close = b.Close * scale };
        }
        var full = CoreFeatureSet.Compute(bars);
        foreach (var length in new[] { 5_001, 8_193, 11_999 })
            AssertPrefix(CoreFeatureSet.Compute(bars[..length]), full);
        AssertSameWithin(CoreFeatureSet.ComputeStreaming(bars), full, 1e-9);
    }

    [Fact]
    public void Batch_path_of_no_bars_is_an_empty_table()
    {
        var table = CoreFeatureSet.Compute([]);
        Assert.Equal(0, table.Rows);
        Assert.Equal(17, table.Columns.Length);
    }

    [SkippableFact]
    public void Batch_path_equals_the_streaming_path_on_real_hourly_btc()
    {
        var bars = TestBars.RealBtcHourly();
        AssertSameWithin(CoreFeatureSet.ComputeStreaming(bars), CoreFeatureSet.Compute(bars), 1e-9);
    }

    private static void AssertSameWithin(FeatureTable streaming, FeatureTable batch, double relative)
    {
        Assert.Equal(streaming.Times, batch.Times);
        for (var c = 0; c < streaming.Columns.Length; c++)
            for (var t = 0; t < streaming.Rows; t++)
            {
                double s = streaming.Columns[c][t], b = batch.Columns[c][t];
                if (double.IsNaN(s))
                {
                    Assert.True(double.IsNaN(b), $"{streaming.Names[c]} at bar {t}: streaming NaN, batch {b:R}");
                    continue;
                }
                // A flat window's standard deviation is the square root of rounding noise (about 1e-8 x price for
                // either path's sums), so the bands get that much absolute slack on top.
                // The annualised volatilities (about 0.5 for BTC) likewise over a run of unchanged or filler bars.
                var slack = streaming.Names[c] switch
                {
                    "bb_upper" or "bb_lower" => 2e-8 * Math.Abs(streaming.Columns[8][t]),
                    "rv20" or "parkinson20" or "garman_klass20" => 1e-8,
                    "vol_z20" => 1e-7, // a z-score of order 1: v - mean carries the mean's rounding

                    _ => 0,
                };
                Assert.True(Math.Abs(s - b) <= relative * Math.Max(1, Math.Abs(s)) + slack, $"{streaming.Names[c]} at bar {t}: streaming {s:R}, batch {b:R}");
            }
    }

    private static void AssertPrefix(FeatureTable prefix, FeatureTable full)
    {
        for (var c = 0; c < prefix.Columns.Length; c++)
            for (var t = 0; t < prefix.Rows; t++)
                Assert.Equal(prefix.Columns[c][t], full.Columns[c][t]);
    }
}
