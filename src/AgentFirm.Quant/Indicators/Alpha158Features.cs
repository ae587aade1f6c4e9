using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// An Alpha158-style price/volume feature set, after the feature definitions of Microsoft Qlib's Alpha158
/// handler (qlib/contrib/data/loader.py, Alpha158DL.get_feature_config; Yang et al. 2020, "Qlib: An
/// AI-oriented Quantitative Investment Platform"). Own implementation of those formulas, with these
/// documented differences:
/// <list type="bullet">
/// <item>A rolling feature is NaN until its window is full (Qlib's operators use min_periods=1); features
/// built on a one-bar change (ROC, CORD, CNT*, SUM*, WVMA, VSUM*) need d changes, i.e. d + 1 bars.</item>
/// <item>Degenerate windows get a finite value instead of NaN: CORR/CORD are 0 when either side is
/// constant, RSQR is 0 for a flat window; CORD treats a change from zero volume as a ratio of 1.</item>
/// <item>VWAP0 is left out: the bars carry no traded VWAP.</item>
/// </list>
/// Every value at bar t reads bars 0..t only (as-of). Std is the sample standard deviation (pandas
/// rolling std); Quantile interpolates linearly (pandas); Rank is scipy percentileofscore(kind='rank') / 100
/// of the newest value in its window; IdxMax/IdxMin are 1-based positions in the window, oldest = 1,
/// first occurrence on ties (numpy argmax + 1). The 1e-12 guards in denominators are Qlib's.
/// </summary>
public static class Alpha158Features
{
    public static IReadOnlyList<int> Windows { get; } = [5, 10, 20, 30, 60];

    /// <summary>The k-line shape features of one bar (Qlib "kbar") and the price ratios OPEN0, HIGH0, LOW0.</summary>
    public static IReadOnlyList<string> BarNames { get; } =
        ["KMID", "KLEN", "KMID2", "KUP", "KUP2", "KLOW", "KLOW2", "KSFT", "KSFT2", "OPEN0", "HIGH0", "LOW0"];

    /// <summary>Rolling families, each over every window in <see cref="Windows"/>, in Qlib's order.</summary>
    public static IReadOnlyList<string> RollingFamilies { get; } =
    [
        "ROC", "MA", "STD", "BETA", "RSQR", "RESI", "MAX", "MIN", "QTLU", "QTLD", "RANK", "RSV", "IMAX", "IMIN", "IMXD",
        "CORR", "CORD", "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD", "VMA", "VSTD", "WVMA", "VSUMP", "VSUMN", "VSUMD",
    ];

    /// <summary>Column names: the bar features, then family-major rolling names (ROC5, ROC10, ..., VSUMD60).</summary>
    public static IReadOnlyList<string> Names { get; } = BuildNames();

    /// <summary>Bars before every column is defined: the 60-bar change features need 61.</summary>
    public static int WarmUpPeriod => 61;

    private const double Eps = 1e-12;

    private static string[] BuildNames()
    {
        var names = new List<string>(BarNames);
        foreach (var family in RollingFamilies)
            foreach (var d in Windows) names.Add(family + d);
        return names.ToArray();
    }

    /// <summary>Fresh columns for the bars, in <see cref="Names"/> order.</summary>
    public static double[][] Compute(ReadOnlySpan<Bar> bars)
    {
        var columns = new double[Names.Count][];
        for (var c = 0; c < columns.Length; c++) columns[c] = new double[bars.Length];
        Write(bars, columns);
        return columns;
    }

    /// <summary>Fills <paramref name="columns"/> (in <see cref="Names"/> order, each bars.Length long).</summary>
    public static void Write(ReadOnlySpan<Bar> bars, double[][] columns)
    {
        var n = bars.Length;
        var s = new Series(n);
        for (var t = 0; t < n; t++)
        {
            ref readonly var b = ref bars[t];
            s.Open[t] = b.Open;
            s.High[t] = b.High;
            s.Low[t] = b.Low;
            s.Close[t] = b.Close;
            s.Volume[t] = b.Volume;
        }
        s.Derive();
        WriteBarFeatures(s, columns);
        var families = RollingFamilies.Count;
        Parallel.For(0, Windows.Count, w =>
        {
            var target = new double[families][];
            for (var f = 0; f < families; f++) target[f] = columns[BarNames.Count + f * Windows.Count + w];
            WriteWindow(s, Windows[w], target);
        });
    }

    private static void WriteBarFeatures(Series s, double[][] columns)
    {
        for (var t = 0; t < s.Count; t++)
        {
            double o = s.Open[t], h = s.High[t], l = s.Low[t], c = s.Close[t];
            var range = h - l + Eps;
            var top = Math.Max(o, c);
            var bottom = Math.Min(o, c);
            columns[0][t] = (c - o) / o;
            columns[1][t] = (h - l) / o;
            columns[2][t] = (c - o) / range;
            columns[3][t] = (h - top) / o;
            columns[4][t] = (h - top) / range;
            columns[5][t] = (bottom - l) / o;
            columns[6][t] = (bottom - l) / range;
            columns[7][t] = (2 * c - h - l) / o;
            columns[8][t] = (2 * c - h - l) / range;
            columns[9][t] = o / c;
            columns[10][t] = h / c;
            columns[11][t] = l / c;
        }
    }

    /// <summary>Every rolling family for one window length d; target[f] is family f's column.</summary>
    private static void WriteWindow(Series s, int d, double[][] target)
    {
        var n = s.Count;
        var sorted = new double[d];
        // Regression of the closes on x = 1..d: x mean and sum of squared x deviations are fixed.
        var xMean = (d + 1) / 2.0;
        var sxx = d * (d * (double)d - 1) / 12.0;
        for (var t = 0; t < n; t++)
        {
            var levelReady = t >= d - 1;
            var changeReady = t >= d;
            var c = s.Close[t];
            var v = s.Volume[t];
            if (!levelReady)
            {
                for (var f = 0; f < target.Length; f++) target[f][t] = double.NaN;
                continue;
            }
            var start = t - d + 1;

            // Levels: closes, highs, lows over [start, t].
            double sumC = 0, sumV = 0, sumLogV = 0;
            var maxH = double.NegativeInfinity;
            var minL = double.PositiveInfinity;
            int idxMax = 0, idxMin = 0;
            for (var i = 0; i < d; i++)
            {
                var k = start + i;
                sumC += s.Close[k];
                sumV += s.Volume[k];
                sumLogV += s.LogVolume1[k];
                if (s.High[k] > maxH) { maxH = s.High[k]; idxMax = i; }
                if (s.Low[k] < minL) { minL = s.Low[k]; idxMin = i; }
            }
            var meanC = sumC / d;
            var meanV = sumV / d;
            var meanLogV = sumLogV / d;
            double ssC = 0, sxy = 0, ssV = 0, ssLogV = 0, covCLogV = 0;
            int below = 0, atOrBelow = 0;
            for (var i = 0; i < d; i++)
            {
                var k = start + i;
                var dc = s.Close[k] - meanC;
                var dv = s.Volume[k] - meanV;
                var dl = s.LogVolume1[k] - meanLogV;
                ssC += dc * dc;
                sxy += (i + 1 - xMean) * dc;
                ssV += dv * dv;
                ssLogV += dl * dl;
                covCLogV += dc * dl;
                if (s.Close[k] < c) below++;
                if (s.Close[k] <= c) atOrBelow++;
                sorted[i] = s.Close[k];
            }
            Array.Sort(sorted);
            var slope = sxy / sxx;
            var fitted = meanC + slope * (d - xMean);

            target[1][t] = meanC / c;                                          // MA
            target[2][t] = Math.Sqrt(ssC / (d - 1)) / c;                       // STD
            target[3][t] = slope / c;                                          // BETA
            target[4][t] = ssC > 0 ? sxy * sxy / (sxx * ssC) : 0;              // RSQR
            target[5][t] = (c - fitted) / c;                                   // RESI
            target[6][t] = maxH / c;                                           // MAX
            target[7][t] = minL / c;                                           // MIN
            target[8][t] = Quantile(sorted, 0.8) / c;                          // QTLU
            target[9][t] = Quantile(sorted, 0.2) / c;                          // QTLD
            target[10][t] = (below + atOrBelow + (below < atOrBelow ? 1 : 0)) / (2.0 * d); // RANK
            target[11][t] = (c - minL) / (maxH - minL + Eps);                  // RSV
            target[12][t] = (idxMax + 1.0) / d;                                // IMAX
            target[13][t] = (idxMin + 1.0) / d;                                // IMIN
            target[14][t] = (idxMax - idxMin) / (double)d;                     // IMXD
            target[15][t] = ssC > 0 && ssLogV > 0 ? covCLogV / Math.Sqrt(ssC * ssLogV) : 0; // CORR
            target[23][t] = meanV / (v + Eps);                                 // VMA
            target[24][t] = Math.Sqrt(ssV / (d - 1)) / (v + Eps);              // VSTD

            if (!changeReady)
            {
                foreach (var f in ChangeFamilies) target[f][t] = double.NaN;
                continue;
            }

            // Changes: the d one-bar changes ending at t, i.e. over bars [start, t] against their predecessors.
            target[0][t] = s.Close[t - d] / c;                                 // ROC
            double up = 0, down = 0, absMove = 0, vUp = 0, vDown = 0, vAbs = 0, sumR = 0, sumDv = 0, sumW = 0;
            int rises = 0, falls = 0;
            for (var k = start; k <= t; k++)
            {
                var move = s.Close[k] - s.Close[k - 1];
                if (move > 0) { up += move; rises++; }
                else if (move < 0) { down -= move; falls++; }
                absMove += Math.Abs(move);
                var vMove = s.Volume[k] - s.Volume[k - 1];
                if (vMove > 0) vUp += vMove;
                else vDown -= vMove;
                vAbs += Math.Abs(vMove);
                sumR += s.CloseRatio[k];
                sumDv += s.VolumeRatioLog[k];
                sumW += s.WeightedMove[k];
            }
            double meanR = sumR / d, meanDv = sumDv / d, meanW = sumW / d;
            double ssR = 0, ssDv = 0, covRDv = 0, ssW = 0;
            for (var k = start; k <= t; k++)
            {
                var dr = s.CloseRatio[k] - meanR;
                var dd = s.VolumeRatioLog[k] - meanDv;
                var dw = s.WeightedMove[k] - meanW;
                ssR += dr * dr;
                ssDv += dd * dd;
                covRDv += dr * dd;
                ssW += dw * dw;
            }
            target[16][t] = ssR > 0 && ssDv > 0 ? covRDv / Math.Sqrt(ssR * ssDv) : 0; // CORD
            target[17][t] = rises / (double)d;                                 // CNTP
            target[18][t] = falls / (double)d;                                 // CNTN
            target[19][t] = (rises - falls) / (double)d;                       // CNTD
            target[20][t] = up / (absMove + Eps);                              // SUMP
            target[21][t] = down / (absMove + Eps);                            // SUMN
            target[22][t] = (up - down) / (absMove + Eps);                     // SUMD
            target[25][t] = Math.Sqrt(ssW / (d - 1)) / (meanW + Eps);          // WVMA
            target[26][t] = vUp / (vAbs + Eps);                                // VSUMP
            target[27][t] = vDown / (vAbs + Eps);                              // VSUMN
            target[28][t] = (vUp - vDown) / (vAbs + Eps);                      // VSUMD
        }
    }

    // Families that need one-bar changes (index into RollingFamilies), NaN until d + 1 bars.
    private static readonly int[] ChangeFamilies = [0, 16, 17, 18, 19, 20, 21, 22, 25, 26, 27, 28];

    /// <summary>Linear interpolation between order statistics (pandas/numpy "linear"): position q (n - 1).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(position);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>The bar columns and the per-bar derived series the rolling families read.</summary>
    private sealed class Series(int count)
    {
        public int Count { get; } = count;
        public double[] Open { get; } = new double[count];
        public double[] High { get; } = new double[count];
        public double[] Low { get; } = new double[count];
        public double[] Close { get; } = new double[count];
        public double[] Volume { get; } = new double[count];
        /// <summary>Log(volume + 1), CORR's volume side.</summary>
        public double[] LogVolume1 { get; } = new double[count];
        /// <summary>close / previous close (CORD's price side); NaN at bar 0.</summary>
        public double[] CloseRatio { get; } = new double[count];
        /// <summary>Log(volume / previous volume + 1) (CORD's volume side); a ratio of 1 after zero volume.</summary>
        public double[] VolumeRatioLog { get; } = new double[count];
        /// <summary>|close / previous close - 1| x volume (WVMA).</summary>
        public double[] WeightedMove { get; } = new double[count];

        public void Derive()
        {
            for (var t = 0; t < Count; t++)
            {
                LogVolume1[t] = Math.Log(Volume[t] + 1);
                if (t == 0)
                {
                    CloseRatio[t] = VolumeRatioLog[t] = WeightedMove[t] = double.NaN;
                    continue;
                }
                CloseRatio[t] = Close[t] / Close[t - 1];
                VolumeRatioLog[t] = Math.Log((Volume[t - 1] > 0 ? Volume[t] / Volume[t - 1] : 1) + 1);
                WeightedMove[t] = Math.Abs(CloseRatio[t] - 1) * Volume[t];
            }
        }
    }
}
