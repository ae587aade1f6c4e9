using AgentFirm.Core;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Quant.Tests.Indicators;

/// <summary>
/// Alpha158-style features against numbers worked by hand from Qlib's expressions
/// (qlib/contrib/data/loader.py, Alpha158DL.get_feature_config), e.g. BETA{d} = Slope($close, d)/$close.
/// </summary>
public class Alpha158Tests
{
    // Closes 10, 11, 12, 11, 13, 14; high = close + 1, low = close - 1, open = close, volume 100 + i.
    private static readonly Bar[] Bars = TestBars.FromCloses(10, 11, 12, 11, 13, 14);
    private static readonly double[][] Columns = Alpha158Features.Compute(Bars);

    private static double At(string name, int t) => Columns[IndexOf(name)][t];

    private static int IndexOf(string name)
    {
        for (var i = 0; i < Alpha158Features.Names.Count; i++)
            if (Alpha158Features.Names[i] == name) return i;
        throw new KeyNotFoundException(name);
    }

    [Fact]
    public void Level_features_of_the_first_full_five_bar_window()
    {
        // Window 10, 11, 12, 11, 13 at bar 5 (t = 4): mean 11.4, squared deviations sum 5.2.
        const double c = 13;
        Assert.Equal(11.4 / c, At("MA5", 4), 12);
        Assert.Equal(Math.Sqrt(5.2 / 4) / c, At("STD5", 4), 12);
        // x = 1..5, Sxx = 10, Sxy = 6: slope 0.6; R^2 = 36 / (10 x 5.2); fitted at x=5 is 11.4 + 0.6 x 2 = 12.6.
        Assert.Equal(0.6 / c, At("BETA5", 4), 12);
        Assert.Equal(36 / 52.0, At("RSQR5", 4), 12);
        Assert.Equal(0.4 / c, At("RESI5", 4), 12);
        Assert.Equal(14 / c, At("MAX5", 4), 12); // highest high 13 + 1
        Assert.Equal(9 / c, At("MIN5", 4), 12);  // lowest low 10 - 1
        // Sorted 10, 11, 11, 12, 13: 0.8 quantile at position 3.2 -> 12.2; 0.2 at 0.8 -> 10.8.
        Assert.Equal(12.2 / c, At("QTLU5", 4), 12);
        Assert.Equal(10.8 / c, At("QTLD5", 4), 12);
        Assert.Equal(1.0, At("RANK5", 4), 12);
        Assert.Equal((13 - 9) / (14 - 9 + 1e-12), At("RSV5", 4), 12);
        // Highs 11, 12, 13, 12, 14: max at position 5; lows 9, 10, 11, 10, 12: min at position 1.
        Assert.Equal(1.0, At("IMAX5", 4), 12);
        Assert.Equal(0.2, At("IMIN5", 4), 12);
        Assert.Equal(0.8, At("IMXD5", 4), 12);
        // Volumes 100..104: mean 102, sample variance 2.5.
        Assert.Equal(102 / 104.0, At("VMA5", 4), 12);
        Assert.Equal(Math.Sqrt(2.5) / 104, At("VSTD5", 4), 12);
    }

    [Fact]
    public void Change_features_need_one_more_bar_and_count_the_moves()
    {
        Assert.True(double.IsNaN(At("MA5", 3)));
        Assert.True(double.IsNaN(At("ROC5", 4)));
        Assert.True(double.IsNaN(At("SUMP5", 4)));
        // Moves over bars 2..6: +1, +1, -1, +2, +1.
        Assert.Equal(10 / 14.0, At("ROC5", 5), 12);
        Assert.Equal(0.8, At("CNTP5", 5), 12);
        Assert.Equal(0.2, At("CNTN5", 5), 12);
        Assert.Equal(0.6, At("CNTD5", 5), 12);
        Assert.Equal(5 / 6.0, At("SUMP5", 5), 9);
        Assert.Equal(1 / 6.0, At("SUMN5", 5), 9);
        Assert.Equal(4 / 6.0, At("SUMD5", 5), 9);
        // Volume rises by 1 every bar.
        Assert.Equal(1.0, At("VSUMP5", 5), 9);
        Assert.Equal(0.0, At("VSUMN5", 5), 12);
        Assert.Equal(1.0, At("VSUMD5", 5), 9);
        // RANK of 14 in 11, 12, 11, 13, 14 is the top: 1; RSV (14 - 10) / (15 - 10).
        Assert.Equal(1.0, At("RANK5", 5), 12);
        Assert.Equal(0.8, At("RSV5", 5), 9);
    }

    [Fact]
    public void Rank_of_a_tied_value_is_the_mean_percentile_as_in_scipy()
    {
        // Closes 5, 3, 5, 1, 5 at bar 5: left = #(<5) = 2, right = #(<=5) = 5 -> (2 + 5 + 1) / 10 = 0.8.
        var columns = Alpha158Features.Compute(TestBars.FromCloses(5, 3, 5, 1, 5));
        Assert.Equal(0.8, columns[IndexOf("RANK5")][4], 12);
    }

    [Fact]
    public void Kline_shape_of_one_bar()
    {
        var bar = new Bar(TestBars.T0, TimeSpan.FromHours(1), 100, 112, 96, 106, 5);
        var columns = Alpha158Features.Compute([bar]);
        double Get(string name) => columns[IndexOf(name)][0];
        Assert.Equal(0.06, Get("KMID"), 12);
        Assert.Equal(0.16, Get("KLEN"), 12);
        Assert.Equal(6 / 16.0, Get("KMID2"), 9);
        Assert.Equal(0.06, Get("KUP"), 12);     // (112 - max(100, 106)) / 100
        Assert.Equal(6 / 16.0, Get("KUP2"), 9);
        Assert.Equal(0.04, Get("KLOW"), 12);    // (min(100, 106) - 96) / 100
        Assert.Equal(4 / 16.0, Get("KLOW2"), 9);
        Assert.Equal(0.04, Get("KSFT"), 12);    // (2 x 106 - 112 - 96) / 100
        Assert.Equal(4 / 16.0, Get("KSFT2"), 9);
        Assert.Equal(100 / 106.0, Get("OPEN0"), 12);
    }

    [Fact]
    public void Corr_is_pearson_of_close_and_log_volume_over_the_window()
    {
        var bars = TestBars.Random(80, 41);
        var columns = Alpha158Features.Compute(bars);
        for (var t = 19; t < bars.Length; t += 13)
        {
            var x = bars[(t - 19)..(t + 1)].Select(b => b.Close).ToArray();
            var y = bars[(t - 19)..(t + 1)].Select(b => Math.Log(b.Volume + 1)).ToArray();
            Assert.Equal(Pearson(x, y), columns[IndexOf("CORR20")][t], 9);
        }
    }

    private static double Pearson(double[] x, double[] y)
    {
        double mx = x.Average(), my = y.Average();
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
