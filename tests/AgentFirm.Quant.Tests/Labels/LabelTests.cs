using AgentFirm.Quant.Labels;
using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Labels;

public class FixedHorizonLabelTests
{
    [Fact]
    public void Direction_and_return_look_h_bars_ahead_and_leave_the_unknown_tail_empty()
    {
        double[] closes = [100, 110, 99, 99, 120];
        var ret = FixedHorizonLabels.Return(closes, 2);
        Assert.Equal(Math.Log(99 / 100.0), ret[0], 12);
        Assert.Equal(Math.Log(99 / 110.0), ret[1], 12);
        Assert.Equal(Math.Log(120 / 99.0), ret[2], 12);
        Assert.True(double.IsNaN(ret[3]) && double.IsNaN(ret[4]));

        var dir = FixedHorizonLabels.Direction(closes, 1);
        // 100->110 up, 110->99 down, 99->99 flat counts as not up, 99->120 up, last unknown.
        Assert.Equal([1, 0, 0, 1], dir[..4]);
        Assert.True(double.IsNaN(dir[4]));
    }
}

public class TripleBarrierLabelTests
{
    [Fact]
    public void Past_volatility_is_the_sample_sd_of_the_last_w_log_returns()
    {
        double[] closes = [100, 101, 100, 102];
        var sigma = TripleBarrierLabels.PastVolatility(closes, 2);
        Assert.True(double.IsNaN(sigma[0]) && double.IsNaN(sigma[1]));
        // t=2: r = ln(1.01), ln(100/101) = +a, -a; mean 0; sample sd = sqrt(2 a^2 / 1).
        var a = Math.Log(1.01);
        Assert.Equal(Math.Sqrt(2 * a * a), sigma[2], 12);
        // t=3: r = ln(100/101), ln(1.02).
        double r1 = Math.Log(100 / 101.0), r2 = Math.Log(1.02), m = (r1 + r2) / 2;
        Assert.Equal(Math.Sqrt((r1 - m) * (r1 - m) + (r2 - m) * (r2 - m)), sigma[3], 12);
    }

    [Fact]
    public void First_touched_barrier_sets_the_label_and_its_end()
    {
        // Vol window 2 over alternating +-1% moves: sigma = sqrt(2) ln(1.01) = 0.014072 at t = 2..
        // With k = 1 and h = 4 the half-width is sigma * sqrt(4) = 0.028144 in log terms (about +-2.85%).
        double[] closes = [100, 101, 100, 101, 100, 104, 99, 99.5, 99.8, 99.9, 100];
        var labels = TripleBarrierLabels.Compute(closes, horizon: 4, multiplier: 1, volWindow: 2);
        Assert.Null(labels[0]);
        Assert.Null(labels[1]);
        var a = Math.Log(1.01);
        var width = Math.Sqrt(2 * a * a) * 2;

        // t=2 (close 100): path 101, 100, 104 -> ln(1.04) = 0.0392 > width at j = 5: upper.
        var l2 = labels[2]!.Value;
        Assert.Equal(BarrierTouched.Upper, l2.Barrier);
        Assert.Equal(5, l2.End);
        Assert.Equal(1, l2.Side);
        Assert.Equal(width, l2.Width, 12);
        Assert.Equal(Math.Log(1.04), l2.Return, 12);

        // t=4 (close 100): sigma_4 over r = ln(100/101), ln(101/100)... same |a|; path 104 first: upper at j = 5.
        Assert.Equal(BarrierTouched.Upper, labels[4]!.Value.Barrier);
        Assert.Equal(5, labels[4]!.Value.End);

        // t=5 (close 104): sigma_5 over r = ln(100/101), ln(1.04); next close 99: ln(99/104) = -0.0493.
        double r1 = Math.Log(100 / 101.0), r2 = Math.Log(1.04), m = (r1 + r2) / 2;
        var width5 = Math.Sqrt((r1 - m) * (r1 - m) + (r2 - m) * (r2 - m)) * 2; // 0.0736
        Assert.True(Math.Log(99 / 104.0) > -width5); // not a touch: the wide vol after the jump widens the barrier
        var l5 = labels[5]!.Value;
        Assert.Equal(BarrierTouched.Vertical, l5.Barrier);
        Assert.Equal(9, l5.End);
        Assert.Equal(-1, l5.Side); // 99.9 < 104
        Assert.Equal(Math.Log(99.9 / 104), l5.Return, 12);

        // The last h bars cannot be resolved.
        for (var t = closes.Length - 4; t < closes.Length; t++) Assert.Null(labels[t]);
    }

    [Fact]
    public void Lower_barrier_fires_on_a_drop()
    {
        double[] closes = [100, 100.5, 100, 100.5, 100, 95, 96];
        var labels = TripleBarrierLabels.Compute(closes, horizon: 2, multiplier: 1, volWindow: 2);
        // t=4: sigma over ln(100/100.5), ln(100.5/100) -> sqrt(2) ln(1.005) * sqrt(2) = 0.00998 half-width;
        // close 95 next: ln(0.95) = -0.051 < -width, lower at j = 5.
        var l4 = labels[4]!.Value;
        Assert.Equal(BarrierTouched.Lower, l4.Barrier);
        Assert.Equal(5, l4.End);
        Assert.Equal(-1, l4.Side);
    }

    [Fact]
    public void Rewriting_the_bars_inside_a_horizon_moves_no_barrier_and_no_label_resolved_before_them()
    {
        // Bars from 100 on are rewritten at four times the volatility, so the rewrite lies inside the horizon of
        // labels 90..99. Each barrier width is set by past volatility only (known at the label's start), so no
        // width before 100 may move; a label that resolved before 100 may not move at all.
        const int horizon = 10, from = 100;
        var rng = new Random(3);
        var closes = new double[200];
        closes[0] = 100;
        for (var t = 1; t < closes.Length; t++) closes[t] = closes[t - 1] * Math.Exp(0.01 * (rng.NextDouble() - 0.5));
        var before = TripleBarrierLabels.Compute(closes, horizon, 0.5, 10);
        var sigmaBefore = TripleBarrierLabels.PastVolatility(closes, 10);
        var rewrite = new Random(17);
        for (var t = from; t < closes.Length; t++) closes[t] = closes[t - 1] * Math.Exp(0.04 * (rewrite.NextDouble() - 0.5));
        var after = TripleBarrierLabels.Compute(closes, horizon, 0.5, 10);

        int resolvedInside = 0, moved = 0;
        for (var t = 0; t < from; t++)
        {
            Assert.Equal(before[t].HasValue, after[t].HasValue);
            if (before[t] is not { } b) continue;
            var a = after[t]!.Value;
            Assert.Equal(b.Width, a.Width);
            if (b.End < from)
            {
                Assert.Equal(b, a);
                if (t >= from - horizon) resolvedInside++; // its horizon reaches into the rewrite, yet it resolved first
            }
            else if (b != a) moved++;
        }
        // Not vacuous: labels whose horizon spans the rewrite both resolved before it and moved with it.
        Assert.True(resolvedInside >= 2, $"{resolvedInside} labels resolved early inside the rewritten horizon");
        Assert.True(moved >= 2, $"{moved} labels moved");
        Assert.True(TripleBarrierLabels.PastVolatility(closes, 10)[from + 9] > 2 * sigmaBefore[from + 9]); // the rewrite is a volatility change
    }
}

public class SampleUniquenessTests
{
    [Fact]
    public void Concurrency_and_average_uniqueness_match_a_hand_count()
    {
        // AFML 4.3-4.4: windows [0,2], [1,3], [4,4] over 5 bars -> c = 1, 2, 2, 1, 1.
        LabelWindow[] windows = [new(0, 2), new(1, 3), new(4, 4)];
        Assert.Equal([1, 2, 2, 1, 1], SampleUniqueness.Concurrency(windows, 5));
        var u = SampleUniqueness.AverageUniqueness(windows, 5);
        Assert.Equal((1 + 0.5 + 0.5) / 3, u[0], 12);
        Assert.Equal((0.5 + 0.5 + 1) / 3, u[1], 12);
        Assert.Equal(1, u[2], 12);
    }

    [Fact]
    public void Fixed_horizon_labels_in_the_interior_have_uniqueness_one_over_h_plus_one()
    {
        // Every interior bar is covered by h+1 windows [i, i+h]; a label fully inside sees c = h+1 everywhere.
        var windows = LabelWindow.FixedHorizon(50, 4).Where(w => w.End < 54).ToArray();
        var u = SampleUniqueness.AverageUniqueness(windows, 54);
        Assert.Equal(1.0 / 5, u[20], 12);
        Assert.True(u[0] > u[20]); // the first label shares bar 0 with nobody
    }
}
