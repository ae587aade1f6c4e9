using System.Buffers;
using System.Runtime.Intrinsics;
using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// The core feature set for a whole series at once: the same definitions as the streaming indicators behind
/// <see cref="CoreFeatureSet.Update"/> (equal to them within rounding, see the tests), computed column-wise
/// in tight loops over plain arrays. Bars are first split into open/high/low/close/volume arrays; the close
/// columns and the range/volume columns are then filled on two threads. Rolling moments slide in O(1) per bar
/// (Welford's add-one/drop-one update) and are recomputed exactly once per window lap, as
/// <see cref="RollingWindow"/> does, so rounding cannot build up over long series. Each row t still reads
/// bars 0..t only: every loop runs forward and writes row t before it reads bar t + 1.
/// </summary>
internal static class CoreFeatureBatch
{
    private const int Sma = 0, Ema = 1, Wma = 2, Rsi = 3, Macd = 4, MacdSignal = 5, MacdHist = 6, Atr = 7, BbMid = 8,
        BbUpper = 9, BbLower = 10, Rv = 11, VolZ = 12, StochK = 13, StochD = 14, Parkinson = 15, GarmanKlass = 16;

    public static void Fill(Bar[] bars, double[][] columns, DateTimeOffset[] times, double periodsPerYear)
    {
        var n = bars.Length;
        if (n == 0) return;
        var pool = ArrayPool<double>.Shared;
        var s = new Ohlcv(n, pool.Rent(n), pool.Rent(n), pool.Rent(n), pool.Rent(n), pool.Rent(n), pool.Rent(n), pool.Rent(n), pool.Rent(n));
        try
        {
            // Phase 1, row-wise (each row reads its own bar and the one before): split the bars into arrays
            // and compute the per-bar log estimators, the costly part, on both threads by halves.
            if (n < ParallelFrom) PerBar(bars, s, columns, times, 0, n);
            else Parallel.For(0, 2, half => PerBar(bars, s, columns, times, half == 0 ? 0 : n / 2, half == 0 ? n / 2 : n));

            // Phase 2, column-wise recursions and rolling windows, in four groups of about equal cost.
            if (n < ParallelFrom)
            {
                CloseLevels(s, columns);
                Momentum(s, columns);
                RangeVolatility(s, columns, periodsPerYear);
                ReturnAndVolume(s, columns, periodsPerYear);
            }
            else Parallel.Invoke(() => CloseLevels(s, columns), () => Momentum(s, columns), () => RangeVolatility(s, columns, periodsPerYear),
                () => ReturnAndVolume(s, columns, periodsPerYear));
        }
        finally
        {
            pool.Return(s.Open);
            pool.Return(s.High);
            pool.Return(s.Low);
            pool.Return(s.Close);
            pool.Return(s.Volume);
            pool.Return(s.Returns);
            pool.Return(s.ParkinsonBar);
            pool.Return(s.GarmanKlassBar);
        }
    }

    // Below this many bars the thread hand-offs cost more than they save.
    private const int ParallelFrom = 4_096;

    /// <summary>The bars as arrays (pooled, so longer than Count), and phase 1's per-bar log returns and range variances.</summary>
    private sealed record Ohlcv(int Count, double[] Open, double[] High, double[] Low, double[] Close, double[] Volume,
        double[] Returns, double[] ParkinsonBar, double[] GarmanKlassBar);

    private static readonly double ParkinsonScale = 1 / (4 * Math.Log(2));
    private static readonly double CloseOpenWeight = 2 * Math.Log(2) - 1;

    /// <summary>Rows [from, to): OHLCV arrays, times, per-bar log returns and Parkinson / Garman-Klass variances.</summary>
    private static void PerBar(Bar[] bars, Ohlcv s, double[][] columns, DateTimeOffset[] times, int from, int to)
    {
        for (var t = from; t < to; t++)
        {
            ref readonly var bar = ref bars[t];
            times[t] = bar.Time;
            s.Open[t] = bar.Open;
            s.High[t] = bar.High;
            s.Low[t] = bar.Low;
            s.Close[t] = bar.Close;
            s.Volume[t] = bar.Volume;
        }
        // The previous close of row `from` belongs to the other half: read it from the bars.
        var t0 = from;
        LogEstimatorsAt(s, columns, t0, t0 == 0 ? double.NaN : bars[t0 - 1].Close);
        t0++;
        var park = s.ParkinsonBar;
        var gk = s.GarmanKlassBar;
        var returns = s.Returns;
        // Eight rows at a time; a block with a ratio outside the series' range (or a NaN) is redone one by one.
        var width = Vector512<double>.Count;
        var scale = Vector512.Create(ParkinsonScale);
        var weight = Vector512.Create(CloseOpenWeight);
        for (; t0 + width <= to; t0 += width)
        {
            var o = Vector512.Create(s.Open.AsSpan(t0, width));
            var h = Vector512.Create(s.High.AsSpan(t0, width));
            var l = Vector512.Create(s.Low.AsSpan(t0, width));
            var c = Vector512.Create(s.Close.AsSpan(t0, width));
            var p = Vector512.Create(s.Close.AsSpan(t0 - 1, width));
            if (!(LogRatio(h, l, out var hl) & LogRatio(c, o, out var co) & LogRatio(c, p, out var r)))
            {
                for (var t = t0; t < t0 + width; t++) LogEstimatorsAt(s, columns, t, s.Close[t - 1]);
                continue;
            }
            var hl2 = hl * hl;
            (scale * hl2).CopyTo(park.AsSpan(t0, width));
            (0.5 * hl2 - weight * (co * co)).CopyTo(gk.AsSpan(t0, width));
            r.CopyTo(returns.AsSpan(t0, width));
        }
        for (; t0 < to; t0++) LogEstimatorsAt(s, columns, t0, s.Close[t0 - 1]);
    }

    private static void LogEstimatorsAt(Ohlcv s, double[][] columns, int t, double previousClose)
    {
        double h = s.High[t], l = s.Low[t], c = s.Close[t];
        var hl = LogRatio(h, l);
        var co = LogRatio(c, s.Open[t]);
        // Bracketed exactly as the eight-lane path, so a row's value does not depend on which path took it.
        var hl2 = hl * hl;
        s.ParkinsonBar[t] = ParkinsonScale * hl2;
        s.GarmanKlassBar[t] = 0.5 * hl2 - CloseOpenWeight * (co * co);
        s.Returns[t] = double.IsNaN(previousClose) ? double.NaN : LogRatio(c, previousClose);
    }

    /// <summary>The series of <see cref="LogRatio(double, double)"/> on eight ratios; false if any is out of its range.</summary>
    private static bool LogRatio(Vector512<double> a, Vector512<double> b, out Vector512<double> log)
    {
        var u = (a - b) / (a + b);
        var u2 = u * u;
        var series = Vector512.Create(1.0 / 13);
        series = series * u2 + Vector512.Create(1.0 / 11);
        series = series * u2 + Vector512.Create(1.0 / 9);
        series = series * u2 + Vector512.Create(1.0 / 7);
        series = series * u2 + Vector512.Create(1.0 / 5);
        series = series * u2 + Vector512.Create(1.0 / 3);
        series = series * u2 + Vector512<double>.One;
        log = 2 * u * series;
        return Vector512.LessThanOrEqualAll(Vector512.Abs(u), Vector512.Create(0.05));
    }

    /// <summary>
    /// ln(a / b). Bar-to-bar ratios sit near 1, where ln x = 2 atanh(u) = 2 (u + u^3/3 + u^5/5 + ...) with
    /// u = (x - 1) / (x + 1) converges fast: for |u| &lt;= 0.05 (x within about 0.905..1.105) the terms after
    /// u^13/13 are below 5e-20 of the sum, so seven terms give the log to double rounding at a fraction of
    /// Math.Log's cost (and a - b is exact for close prices). Other ratios, and non-finite ones, go to Math.Log.
    /// </summary>
    internal static double LogRatio(double a, double b)
    {
        var u = (a - b) / (a + b);
        if (!(Math.Abs(u) <= 0.05)) return Math.Log(a / b);
        var u2 = u * u;
        var series = 1.0 / 13;
        series = series * u2 + 1.0 / 11;
        series = series * u2 + 1.0 / 9;
        series = series * u2 + 1.0 / 7;
        series = series * u2 + 1.0 / 5;
        series = series * u2 + 1.0 / 3;
        series = series * u2 + 1.0;
        return 2 * u * series; // the same operations, in the same order, as the eight-lane version
    }

    /// <summary>sma20, Bollinger 20/2, wma20, ema20, macd 12/26/9.</summary>
    private static void CloseLevels(Ohlcv s, double[][] columns)
    {
        var n = s.Count;
        var c = s.Close.AsSpan(0, n);
        // Mean into sma, the sum of squared deviations into bb_upper, then the bands in one vector pass.
        RollingMoments(c, 0, 20, columns[Sma], columns[BbUpper]);
        Bands(columns[Sma], columns[BbMid], columns[BbUpper], columns[BbLower], n);
        Wma20(c, columns[Wma].AsSpan(0, n));
        EmaAndMacd(c, columns[Ema].AsSpan(0, n), columns[Macd].AsSpan(0, n), columns[MacdSignal].AsSpan(0, n), columns[MacdHist].AsSpan(0, n));
    }

    /// <summary>rsi14, atr14, stochastic 14/3.</summary>
    private static void Momentum(Ohlcv s, double[][] columns)
    {
        var n = s.Count;
        var h = s.High.AsSpan(0, n);
        var l = s.Low.AsSpan(0, n);
        var c = s.Close.AsSpan(0, n);
        Rsi14(c, columns[Rsi].AsSpan(0, n));
        Atr14(h, l, c, columns[Atr].AsSpan(0, n));
        Stochastic(h, l, c, columns[StochK].AsSpan(0, n), columns[StochD].AsSpan(0, n));
    }

    /// <summary>Parkinson and Garman-Klass 20 from phase 1's per-bar variances.</summary>
    private static void RangeVolatility(Ohlcv s, double[][] columns, double periodsPerYear)
    {
        RollingMeanVolatility(s.ParkinsonBar, s.GarmanKlassBar, s.Count, columns[Parkinson], columns[GarmanKlass], 20, periodsPerYear);
    }

    /// <summary>rv20 from phase 1's log returns, and vol_z20.</summary>
    private static void ReturnAndVolume(Ohlcv s, double[][] columns, double periodsPerYear)
    {
        var n = s.Count;
        var v = s.Volume.AsSpan(0, n);

        // Realised volatility: sample sd of the last 20 log returns (from bar 1), annualised.
        var rv = columns[Rv];
        RollingMoments(s.Returns.AsSpan(0, n), 1, 20, null, rv);
        SqrtScaled(rv, n, periodsPerYear / 19);
        // Volume z-score; the returns are used up, so their array holds the volume's squared deviations.
        var z = columns[VolZ];
        RollingMoments(v, 0, 20, z, s.Returns);
        VolumeZ(z, s.Returns, s.Volume, n);
    }

    // The square roots and divisions below cost more than the rolling sums feeding them (a scalar square
    // root is several cycles), so they run eight rows at a time after the sums; rows are independent here.

    /// <summary>Bollinger: mid = mean, bands at mean +/- 2 sqrt(M2 / 20) (population sd); upper holds M2 on entry.</summary>
    private static void Bands(double[] mean, double[] mid, double[] upper, double[] lower, int n)
    {
        var t = 0;
        var w = Vector512<double>.Count;
        for (; t + w <= n; t += w)
        {
            var m = Vector512.Create(mean.AsSpan(t, w));
            var width = 2 * Vector512.Sqrt(Vector512.Create(upper.AsSpan(t, w)) * (1.0 / 20));
            m.CopyTo(mid.AsSpan(t, w));
            (m + width).CopyTo(upper.AsSpan(t, w));
            (m - width).CopyTo(lower.AsSpan(t, w));
        }
        for (; t < n; t++)
        {
            var width = 2 * Math.Sqrt(upper[t] * (1.0 / 20));
            mid[t] = mean[t];
            upper[t] = mean[t] + width;
            lower[t] = mean[t] - width;
        }
    }

    /// <summary>In place: x = sqrt(x scale) (NaN stays NaN).</summary>
    private static void SqrtScaled(double[] x, int n, double scale)
    {
        var t = 0;
        var w = Vector512<double>.Count;
        for (; t + w <= n; t += w) Vector512.Sqrt(Vector512.Create(x.AsSpan(t, w)) * scale).CopyTo(x.AsSpan(t, w));
        for (; t < n; t++) x[t] = Math.Sqrt(x[t] * scale);
    }

    /// <summary>vol_z20 with the sample sd, 0 when the window is flat (as VolumeZScore); z holds the mean on entry.</summary>
    private static void VolumeZ(double[] z, double[] m2, double[] volume, int n)
    {
        var t = 0;
        var w = Vector512<double>.Count;
        for (; t + w <= n; t += w)
        {
            var mean = Vector512.Create(z.AsSpan(t, w));
            var sd = Vector512.Sqrt(Vector512.Create(m2.AsSpan(t, w)) * (1.0 / 19));
            var score = (Vector512.Create(volume.AsSpan(t, w)) - mean) / sd;
            var spread = Vector512.GreaterThan(sd, 1e-9 * Vector512.Abs(mean)) & Vector512.GreaterThan(sd, Vector512<double>.Zero);
            Vector512.ConditionalSelect(spread, score, Vector512<double>.Zero).CopyTo(z.AsSpan(t, w));
        }
        for (; t < n; t++)
        {
            var mean = z[t];
            var sd = Math.Sqrt(m2[t] * (1.0 / 19));
            z[t] = sd > 1e-9 * Math.Abs(mean) && sd > 0 ? (volume[t] - mean) / sd : 0;
        }
        // Warm-up rows compared false above (NaN) and became 0: they are NaN.
        for (t = 0; t < Math.Min(19, n); t++) z[t] = double.NaN;
    }

    /// <summary>
    /// Mean (when <paramref name="mean"/> is given) and sum of squared deviations of the
    /// <paramref name="length"/> values ending at each t, from t = first + length - 1 (NaN before). Sliding
    /// update (Welford): with d = new - old, mean' = mean + d / length and M2' = M2 + d (new - mean' + old -
    /// mean); exact two-pass recompute once per lap so rounding cannot accumulate.
    /// </summary>
    private static void RollingMoments(ReadOnlySpan<double> x, int first, int length, double[]? mean, double[] m2)
    {
        var n = x.Length;
        var ready = first + length - 1;
        for (var t = 0; t < Math.Min(ready, n); t++)
        {
            if (mean is not null) mean[t] = double.NaN;
            m2[t] = double.NaN;
        }
        var inverse = 1.0 / length;
        double mu = 0, s2 = 0;
        var untilExact = 0;
        for (var t = ready; t < n; t++)
        {
            if (untilExact == 0)
            {
                var sum = 0.0;
                for (var k = t - length + 1; k <= t; k++) sum += x[k];
                mu = sum / length;
                s2 = 0;
                for (var k = t - length + 1; k <= t; k++)
                {
                    var e = x[k] - mu;
                    s2 += e * e;
                }
                untilExact = length;
            }
            else
            {
                var added = x[t];
                var dropped = x[t - length];
                var d = added - dropped;
                var next = Math.FusedMultiplyAdd(d, inverse, mu);
                s2 += d * (added - next + dropped - mu);
                mu = next;
            }
            untilExact--;
            if (mean is not null) mean[t] = mu;
            m2[t] = s2 > 0 ? s2 : 0;
        }
    }

    /// <summary>
    /// Two range volatilities at once (their running sums interleave): sqrt(mean of the last n per-bar
    /// variances x periodsPerYear), as RangeVolatility; each sum is recomputed exactly once per lap.
    /// </summary>
    private static void RollingMeanVolatility(double[] first, double[] second, int n, double[] firstOut, double[] secondOut, int length, double periodsPerYear)
    {
        var scale = periodsPerYear / length;
        double a = 0, b = 0;
        var untilExact = 0;
        for (var t = 0; t < n; t++)
        {
            if (t < length - 1)
            {
                firstOut[t] = secondOut[t] = double.NaN;
                continue;
            }
            if (untilExact == 0)
            {
                a = b = 0;
                for (var k = t - length + 1; k <= t; k++)
                {
                    a += first[k];
                    b += second[k];
                }
                untilExact = length;
            }
            else
            {
                a += first[t] - first[t - length];
                b += second[t] - second[t - length];
            }
            untilExact--;
            firstOut[t] = a > 0 ? a : 0;
            secondOut[t] = b > 0 ? b : 0;
        }
        SqrtScaled(firstOut, n, scale);
        SqrtScaled(secondOut, n, scale);
    }

    /// <summary>Weights 1..20, newest 20: W' = W - S + 20 x, with S the previous window's sum; exact once per lap.</summary>
    private static void Wma20(ReadOnlySpan<double> c, Span<double> wma)
    {
        const int length = 20;
        const double denominator = length * (length + 1) / 2.0;
        var n = c.Length;
        for (var t = 0; t < Math.Min(length - 1, n); t++) wma[t] = double.NaN;
        double weighted = 0, sum = 0;
        var untilExact = 0;
        for (var t = length - 1; t < n; t++)
        {
            if (untilExact == 0)
            {
                weighted = 0;
                sum = 0;
                for (var k = 0; k < length; k++)
                {
                    var x = c[t - length + 1 + k];
                    weighted += (k + 1) * x;
                    sum += x;
                }
                untilExact = length;
            }
            else
            {
                var x = c[t];
                weighted += length * x - sum;
                sum += x - c[t - length];
            }
            untilExact--;
            wma[t] = weighted / denominator;
        }
    }

    /// <summary>
    /// EMA20 and MACD 12/26/9, each EMA seeded with its first input (pandas ewm(adjust=False)). Written as
    /// e = fma(e, 1 - a, a x) so each recursion's critical path is one fused multiply-add, not three operations.
    /// </summary>
    private static void EmaAndMacd(ReadOnlySpan<double> c, Span<double> ema, Span<double> macd, Span<double> signal, Span<double> hist)
    {
        var n = c.Length;
        const double a20 = 2.0 / 21, a12 = 2.0 / 13, a26 = 2.0 / 27, a9 = 2.0 / 10;
        const double k20 = 1 - a20, k12 = 1 - a12, k26 = 1 - a26, k9 = 1 - a9;
        double e20 = c[0], e12 = c[0], e26 = c[0], sig = 0;
        for (var t = 0; t < Math.Min(n, 33); t++)
        {
            if (t > 0)
            {
                var x = c[t];
                e20 = Math.FusedMultiplyAdd(e20, k20, a20 * x);
                e12 = Math.FusedMultiplyAdd(e12, k12, a12 * x);
                e26 = Math.FusedMultiplyAdd(e26, k26, a26 * x);
                sig = Math.FusedMultiplyAdd(sig, k9, a9 * (e12 - e26));
            }
            ema[t] = t >= 19 ? e20 : double.NaN;
            macd[t] = t >= 25 ? e12 - e26 : double.NaN;
            signal[t] = double.NaN;
            hist[t] = double.NaN;
        }
        for (var t = 33; t < n; t++)
        {
            var x = c[t];
            e20 = Math.FusedMultiplyAdd(e20, k20, a20 * x);
            e12 = Math.FusedMultiplyAdd(e12, k12, a12 * x);
            e26 = Math.FusedMultiplyAdd(e26, k26, a26 * x);
            var line = e12 - e26;
            sig = Math.FusedMultiplyAdd(sig, k9, a9 * line);
            ema[t] = e20;
            macd[t] = line;
            signal[t] = sig;
            hist[t] = line - sig;
        }
    }

    /// <summary>
    /// Wilder's RSI14 (RelativeStrengthIndex): simple means of the first 14 changes, then alpha 1/14; written
    /// as 100 g / (g + l), the same number as 100 - 100 / (1 + g / l) with one division instead of two.
    /// </summary>
    private static void Rsi14(ReadOnlySpan<double> c, Span<double> rsi)
    {
        const int length = 14;
        const double alpha = 1.0 / length, keep = 1 - alpha; // avg = fma(avg, 1 - a, a x): one FMA on the critical path
        var n = c.Length;
        rsi[0] = double.NaN;
        double gain = 0, loss = 0;
        var seed = Math.Min(length, n - 1);
        for (var t = 1; t <= seed; t++)
        {
            var change = c[t] - c[t - 1];
            gain += Math.Max(change, 0);
            loss += Math.Max(-change, 0);
            if (t < length) rsi[t] = double.NaN;
        }
        if (n <= length) return;
        gain /= length;
        loss /= length;
        rsi[length] = RsiOf(gain, loss);
        for (var t = length + 1; t < n; t++)
        {
            var change = c[t] - c[t - 1];
            gain = Math.FusedMultiplyAdd(gain, keep, Math.Max(change, 0) * alpha);
            loss = Math.FusedMultiplyAdd(loss, keep, Math.Max(-change, 0) * alpha);
            rsi[t] = RsiOf(gain, loss);
        }
    }

    private static double RsiOf(double gain, double loss)
    {
        var total = gain + loss;
        return total > 0 ? 100 * gain / total : 50;
    }

    /// <summary>Wilder ATR14 of true ranges, the first true range being high - low.</summary>
    private static void Atr14(ReadOnlySpan<double> h, ReadOnlySpan<double> l, ReadOnlySpan<double> c, Span<double> atr)
    {
        const int length = 14;
        const double alpha = 1.0 / length, keep = 1 - alpha; // avg = fma(avg, 1 - a, a x): one FMA on the critical path
        var n = c.Length;
        var seed = Math.Min(length, n);
        var average = 0.0;
        for (var t = 0; t < seed; t++)
        {
            average += t == 0 ? h[0] - l[0] : TrueRange(h[t], l[t], c[t - 1]);
            atr[t] = double.NaN;
        }
        if (n < length) return;
        average /= length;
        atr[length - 1] = average;
        for (var t = length; t < n; t++)
        {
            average = Math.FusedMultiplyAdd(average, keep, TrueRange(h[t], l[t], c[t - 1]) * alpha);
            atr[t] = average;
        }
    }

    private static double TrueRange(double high, double low, double previousClose) =>
        Math.Max(high, previousClose) - Math.Min(low, previousClose);

    /// <summary>
    /// Fast stochastic 14/3: %K from the highest high and lowest low of 14 bars (50 when flat), %D = SMA3.
    /// Window extremes by van Herk / Gil-Werman: in blocks of 14 bars, the max of [t - 13, t] is the larger of
    /// the suffix max of t - 13's block and the prefix max of t's block, so no branch depends on the prices.
    /// The suffix maxima are within-block (they never read past a block's end) and a block starting after
    /// bar t is never read for row t, so each row is still as-of.
    /// </summary>
    private static void Stochastic(ReadOnlySpan<double> h, ReadOnlySpan<double> l, ReadOnlySpan<double> c, Span<double> k, Span<double> d)
    {
        const int length = 14;
        var n = c.Length;
        var pool = ArrayPool<double>.Shared;
        var suffixHighArray = pool.Rent(n);
        var suffixLowArray = pool.Rent(n);
        try
        {
            var suffixHigh = suffixHighArray.AsSpan(0, n);
            var suffixLow = suffixLowArray.AsSpan(0, n);
            for (var blockStart = 0; blockStart < n; blockStart += length)
            {
                var last = Math.Min(blockStart + length, n) - 1;
                double hi = h[last], lo = l[last];
                suffixHigh[last] = hi;
                suffixLow[last] = lo;
                for (var t = last - 1; t >= blockStart; t--)
                {
                    hi = Math.Max(hi, h[t]);
                    lo = Math.Min(lo, l[t]);
                    suffixHigh[t] = hi;
                    suffixLow[t] = lo;
                }
            }
            double prefixHigh = 0, prefixLow = 0, k1 = 0, k2 = 0;
            for (var t = 0; t < n; t++)
            {
                var inBlock = t % length;
                prefixHigh = inBlock == 0 ? h[t] : Math.Max(prefixHigh, h[t]);
                prefixLow = inBlock == 0 ? l[t] : Math.Min(prefixLow, l[t]);
                if (t < length - 1)
                {
                    k[t] = double.NaN;
                    d[t] = double.NaN;
                    continue;
                }
                var highest = Math.Max(suffixHigh[t - length + 1], prefixHigh);
                var lowest = Math.Min(suffixLow[t - length + 1], prefixLow);
                var range = highest - lowest;
                var kt = range > 0 ? 100 * (c[t] - lowest) / range : 50;
                k[t] = kt;
                d[t] = t >= length + 1 ? (kt + k1 + k2) / 3 : double.NaN;
                k2 = k1;
                k1 = kt;
            }
        }
        finally
        {
            pool.Return(suffixHighArray);
            pool.Return(suffixLowArray);
        }
    }
}
