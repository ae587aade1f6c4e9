using AgentFirm.Core;

namespace AgentFirm.Quant.Tests.Indicators;

/// <summary>
/// Reference indicators written the slow, obvious way: each call gets the whole history up to a bar and
/// recomputes from scratch (two-pass variances, explicit loops, recursions rerun from the first bar). They
/// share no code with the streaming ones; NaN means "not yet defined" (warm-up).
/// </summary>
internal static class Naive
{
    private static double[] Closes(ReadOnlySpan<Bar> h)
    {
        var c = new double[h.Length];
        for (var i = 0; i < h.Length; i++) c[i] = h[i].Close;
        return c;
    }

    public static double Mean(ReadOnlySpan<double> x)
    {
        var s = 0.0;
        foreach (var v in x) s += v;
        return s / x.Length;
    }

    /// <summary>Two-pass variance; ddof 0 = population, 1 = sample.</summary>
    public static double Variance(ReadOnlySpan<double> x, int ddof)
    {
        var m = Mean(x);
        var s = 0.0;
        foreach (var v in x) s += (v - m) * (v - m);
        return s / (x.Length - ddof);
    }

    public static double Sma(ReadOnlySpan<Bar> h, int n) => h.Length < n ? double.NaN : Mean(Closes(h)[^n..]);

    /// <summary>EMA of a whole series, seeded with its first value; all points, no warm-up mask.</summary>
    public static double[] EmaSeries(double[] x, int n)
    {
        var a = 2.0 / (n + 1);
        var e = new double[x.Length];
        for (var i = 0; i < x.Length; i++) e[i] = i == 0 ? x[0] : a * x[i] + (1 - a) * e[i - 1];
        return e;
    }

    public static double Ema(ReadOnlySpan<Bar> h, int n) => h.Length < n ? double.NaN : EmaSeries(Closes(h), n)[^1];

    public static double Wma(ReadOnlySpan<Bar> h, int n)
    {
        if (h.Length < n) return double.NaN;
        double num = 0, den = 0;
        for (var w = 1; w <= n; w++)
        {
            num += w * h[h.Length - n + w - 1].Close;
            den += w;
        }
        return num / den;
    }

    /// <summary>Wilder's average of a whole series: SMA of the first n, then (prev (n-1) + x) / n. NaN before n.</summary>
    public static double WilderLast(IReadOnlyList<double> x, int n)
    {
        if (x.Count < n) return double.NaN;
        var avg = 0.0;
        for (var i = 0; i < n; i++) avg += x[i];
        avg /= n;
        for (var i = n; i < x.Count; i++) avg = (avg * (n - 1) + x[i]) / n;
        return avg;
    }

    public static double RsiFormula(double gain, double loss) =>
        loss == 0 ? (gain == 0 ? 50 : 100) : 100 * gain / (gain + loss);

    public static double Rsi(ReadOnlySpan<Bar> h, int n)
    {
        var gains = new List<double>();
        var losses = new List<double>();
        for (var i = 1; i < h.Length; i++)
        {
            var d = h[i].Close - h[i - 1].Close;
            gains.Add(Math.Max(d, 0));
            losses.Add(Math.Max(-d, 0));
        }
        if (gains.Count < n) return double.NaN;
        return RsiFormula(WilderLast(gains, n), WilderLast(losses, n));
    }

    public static (double Line, double Signal, double Histogram) Macd(ReadOnlySpan<Bar> h, int fast = 12, int slow = 26, int signal = 9)
    {
        var c = Closes(h);
        var f = EmaSeries(c, fast);
        var s = EmaSeries(c, slow);
        var line = new double[c.Length];
        for (var i = 0; i < c.Length; i++) line[i] = f[i] - s[i];
        var sig = EmaSeries(line, signal);
        var lineOut = h.Length >= slow ? line[^1] : double.NaN;
        var ready = h.Length >= slow + signal - 1;
        return (lineOut, ready ? sig[^1] : double.NaN, ready ? line[^1] - sig[^1] : double.NaN);
    }

    public static List<double> TrueRanges(ReadOnlySpan<Bar> h)
    {
        var tr = new List<double>();
        for (var i = 0; i < h.Length; i++)
        {
            var hl = h[i].High - h[i].Low;
            tr.Add(i == 0 ? hl : new[] { hl, Math.Abs(h[i].High - h[i - 1].Close), Math.Abs(h[i].Low - h[i - 1].Close) }.Max());
        }
        return tr;
    }

    public static double Atr(ReadOnlySpan<Bar> h, int n) => WilderLast(TrueRanges(h), n);

    public static (double Mid, double Upper, double Lower) Bollinger(ReadOnlySpan<Bar> h, int n = 20, double k = 2)
    {
        if (h.Length < n) return (double.NaN, double.NaN, double.NaN);
        var w = Closes(h)[^n..];
        var m = Mean(w);
        var sd = Math.Sqrt(Variance(w, 0));
        return (m, m + k * sd, m - k * sd);
    }

    private static double StochK(ReadOnlySpan<Bar> h, int end, int k)
    {
        double hh = double.NegativeInfinity, ll = double.PositiveInfinity;
        for (var i = end - k + 1; i <= end; i++)
        {
            hh = Math.Max(hh, h[i].High);
            ll = Math.Min(ll, h[i].Low);
        }
        return hh == ll ? 50 : 100 * (h[end].Close - ll) / (hh - ll);
    }

    public static (double K, double D) Stochastic(ReadOnlySpan<Bar> h, int k = 14, int d = 3)
    {
        if (h.Length < k) return (double.NaN, double.NaN);
        var kNow = StochK(h, h.Length - 1, k);
        if (h.Length < k + d - 1) return (kNow, double.NaN);
        var sum = 0.0;
        for (var j = 0; j < d; j++) sum += StochK(h, h.Length - 1 - j, k);
        return (kNow, sum / d);
    }

    /// <summary>
    /// Wilder's ADX in his own worksheet form: running SUMS TR14, +DM14, -DM14 (first = sum of 14, then
    /// S - S/14 + x), DIs from those sums, ADX = mean of the first 14 DX then Wilder-smoothed.
    /// </summary>
    public static (double PlusDi, double MinusDi, double Adx) Adx(ReadOnlySpan<Bar> h, int n = 14)
    {
        double trS = 0, pS = 0, mS = 0;
        double plusDi = double.NaN, minusDi = double.NaN;
        var dx = new List<double>();
        for (var i = 1; i < h.Length; i++)
        {
            var up = h[i].High - h[i - 1].High;
            var down = h[i - 1].Low - h[i].Low;
            var pdm = up > down && up > 0 ? up : 0;
            var mdm = down > up && down > 0 ? down : 0;
            var tr = Math.Max(h[i].High - h[i].Low, Math.Max(Math.Abs(h[i].High - h[i - 1].Close), Math.Abs(h[i].Low - h[i - 1].Close)));
            if (i <= n)
            {
                trS += tr;
                pS += pdm;
                mS += mdm;
            }
            else
            {
                trS = trS - trS / n + tr;
                pS = pS - pS / n + pdm;
                mS = mS - mS / n + mdm;
            }
            if (i < n) continue;
            plusDi = trS > 0 ? 100 * pS / trS : 0;
            minusDi = trS > 0 ? 100 * mS / trS : 0;
            dx.Add(plusDi + minusDi > 0 ? 100 * Math.Abs(plusDi - minusDi) / (plusDi + minusDi) : 0);
        }
        return (plusDi, minusDi, WilderLast(dx, n));
    }

    public static (double Mid, double Upper, double Lower) Keltner(ReadOnlySpan<Bar> h, int emaN = 20, int atrN = 10, double k = 2)
    {
        if (h.Length < Math.Max(emaN, atrN)) return (double.NaN, double.NaN, double.NaN);
        var mid = EmaSeries(Closes(h), emaN)[^1];
        var atr = Atr(h, atrN);
        return (mid, mid + k * atr, mid - k * atr);
    }

    public static double Obv(ReadOnlySpan<Bar> h)
    {
        if (h.Length == 0) return double.NaN;
        var obv = 0.0;
        for (var i = 1; i < h.Length; i++)
            obv += Math.Sign(h[i].Close - h[i - 1].Close) * h[i].Volume;
        return obv;
    }

    private static double Typical(in Bar b) => (b.High + b.Low + b.Close) / 3;

    public static double Mfi(ReadOnlySpan<Bar> h, int n = 14)
    {
        if (h.Length < n + 1) return double.NaN;
        double pos = 0, neg = 0;
        for (var i = h.Length - n; i < h.Length; i++)
        {
            var tp = Typical(h[i]);
            var prev = Typical(h[i - 1]);
            if (tp > prev) pos += tp * h[i].Volume;
            else if (tp < prev) neg += tp * h[i].Volume;
        }
        return RsiFormula(pos, neg);
    }

    public static double Vwap(ReadOnlySpan<Bar> h, int n = 20)
    {
        if (h.Length < n) return double.NaN;
        double pv = 0, v = 0, tp = 0;
        for (var i = h.Length - n; i < h.Length; i++)
        {
            pv += Typical(h[i]) * h[i].Volume;
            v += h[i].Volume;
            tp += Typical(h[i]);
        }
        return v > 0 ? pv / v : tp / n;
    }

    public static double RealisedVol(ReadOnlySpan<Bar> h, int n = 20, double periodsPerYear = 365)
    {
        if (h.Length < n + 1) return double.NaN;
        var r = new double[n];
        for (var j = 0; j < n; j++)
        {
            var i = h.Length - n + j;
            r[j] = Math.Log(h[i].Close / h[i - 1].Close);
        }
        return Math.Sqrt(Variance(r, 1) * periodsPerYear);
    }

    public static double Parkinson(ReadOnlySpan<Bar> h, int n = 20, double periodsPerYear = 365)
    {
        if (h.Length < n) return double.NaN;
        var s = 0.0;
        for (var i = h.Length - n; i < h.Length; i++) s += Math.Pow(Math.Log(h[i].High / h[i].Low), 2) / (4 * Math.Log(2));
        return Math.Sqrt(s / n * periodsPerYear);
    }

    public static double GarmanKlass(ReadOnlySpan<Bar> h, int n = 20, double periodsPerYear = 365)
    {
        if (h.Length < n) return double.NaN;
        var s = 0.0;
        for (var i = h.Length - n; i < h.Length; i++)
            s += 0.5 * Math.Pow(Math.Log(h[i].High / h[i].Low), 2) - (2 * Math.Log(2) - 1) * Math.Pow(Math.Log(h[i].Close / h[i].Open), 2);
        return Math.Sqrt(s / n * periodsPerYear);
    }

    public static double VolumeZ(ReadOnlySpan<Bar> h, int n = 20)
    {
        if (h.Length < n) return double.NaN;
        var v = new double[n];
        for (var j = 0; j < n; j++) v[j] = h[h.Length - n + j].Volume;
        var m = Mean(v);
        var sd = Math.Sqrt(Variance(v, 1));
        return sd > 1e-9 * Math.Abs(m) ? (v[^1] - m) / sd : 0;
    }
}
