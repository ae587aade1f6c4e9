using AgentFirm.Quant.Indicators;

namespace AgentFirm.Quant.Features;

/// <summary>
/// Feature normalisation that never looks ahead: the value at row t is scaled with statistics of rows up to
/// t (or strictly before t), so a model sees at each row only what was known at its close. NaN inputs
/// (warm-up cells) are skipped by the statistics and stay NaN in the output.
/// </summary>
public static class Normalisation
{
    /// <summary>Natural log of positive values; zero, negative and NaN inputs give NaN (no silent clipping).</summary>
    public static double[] Log(ReadOnlySpan<double> x)
    {
        var result = new double[x.Length];
        for (var t = 0; t < x.Length; t++) result[t] = x[t] > 0 ? Math.Log(x[t]) : double.NaN;
        return result;
    }

    /// <summary>sign(x) ln(1 + |x|): a log scale for values that can be zero or negative (OBV, volumes with filler bars).</summary>
    public static double[] SignedLog1p(ReadOnlySpan<double> x)
    {
        var result = new double[x.Length];
        for (var t = 0; t < x.Length; t++) result[t] = double.IsNaN(x[t]) ? double.NaN : Math.Sign(x[t]) * Math.Log(1 + Math.Abs(x[t]));
        return result;
    }

    /// <summary>
    /// Rolling z-score: (x_t - mean) / sd with the mean and SAMPLE sd of the last <paramref name="window"/>
    /// values. With <paramref name="excludeCurrent"/> false the window is x_{t-w+1..t} (the current value is
    /// part of its own baseline, pandas' rolling(w) convention); with true it is x_{t-w..t-1}, so the value is
    /// scored against the past alone, as a live model would see a new bar against history, and an outlier
    /// cannot shrink its own score. The window must hold <paramref name="window"/> finite values, else NaN;
    /// a flat window (sd 0) gives 0.
    /// </summary>
    public static double[] RollingZScore(ReadOnlySpan<double> x, int window, bool excludeCurrent = false)
    {
        if (window < 2) throw new ArgumentOutOfRangeException(nameof(window), window, "A sample standard deviation needs a window of at least 2.");
        var result = new double[x.Length];
        var stats = new SlidingMoments(window);
        for (var t = 0; t < x.Length; t++)
        {
            if (!excludeCurrent) stats.Push(x[t]);
            result[t] = stats.IsFull ? Score(x[t], stats.Mean, stats.SampleSd) : double.NaN;
            if (excludeCurrent) stats.Push(x[t]);
        }
        return result;
    }

    /// <summary>
    /// Expanding z-score: the mean and sample sd of every finite value from the first row to t (or to t - 1 with
    /// <paramref name="excludeCurrent"/>), once at least <paramref name="minPeriods"/> values are in; a flat history gives 0.
    /// </summary>
    public static double[] ExpandingZScore(ReadOnlySpan<double> x, int minPeriods = 20, bool excludeCurrent = false)
    {
        if (minPeriods < 2) throw new ArgumentOutOfRangeException(nameof(minPeriods), minPeriods, "A sample standard deviation needs at least 2 values.");
        var result = new double[x.Length];
        long count = 0;
        double mean = 0, m2 = 0;
        for (var t = 0; t < x.Length; t++)
        {
            var value = x[t];
            if (!excludeCurrent) Add(value);
            result[t] = count >= minPeriods ? Score(value, mean, Math.Sqrt(m2 / (count - 1))) : double.NaN;
            if (excludeCurrent) Add(value);
        }
        return result;

        void Add(double value)
        {
            if (!double.IsFinite(value)) return;
            count++;
            var d = value - mean;
            mean += d / count;
            m2 += d * (value - mean);
        }
    }

    /// <summary>Every column of a feature table as a rolling z-score (same names, same rows), columns in parallel.</summary>
    public static FeatureTable RollingZScore(FeatureTable table, int window, bool excludeCurrent = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = new double[table.Columns.Length][];
        Parallel.For(0, columns.Length, c => columns[c] = RollingZScore(table.Columns[c], window, excludeCurrent));
        return new FeatureTable(table.Names, table.Times, columns);
    }

    private static double Score(double value, double mean, double sd)
    {
        if (!double.IsFinite(value)) return double.NaN;
        // A flat baseline has no scale; "no surprise" rather than a division by (rounding) zero.
        return sd > 1e-12 * Math.Max(1, Math.Abs(mean)) ? (value - mean) / sd : 0;
    }

    /// <summary>Mean and sample sd of the last n pushed values (NaN pushes count as gaps: IsFull needs n finite).</summary>
    private sealed class SlidingMoments(int window)
    {
        private readonly int _length = window;
        private readonly double[] _ring = new double[window];
        private int _next;
        private int _pushed;
        private int _finite;
        private double _mean;
        private double _m2;
        private int _untilExact = window;

        public bool IsFull => _finite == _length;
        public double Mean => _mean;
        public double SampleSd => Math.Sqrt(Math.Max(0, _m2) / (_finite - 1));

        public void Push(double value)
        {
            if (_pushed >= _length) Remove(_ring[_next]);
            _ring[_next] = value;
            _next = (_next + 1) % _length;
            _pushed++;
            Add(value);
            // Recompute exactly once per lap so add/remove rounding cannot build up.
            if (--_untilExact == 0)
            {
                _untilExact = _length;
                Resync();
            }
        }

        private void Add(double value)
        {
            if (!double.IsFinite(value)) return;
            _finite++;
            var d = value - _mean;
            _mean += d / _finite;
            _m2 += d * (value - _mean);
        }

        private void Remove(double value)
        {
            if (!double.IsFinite(value)) return;
            _finite--;
            if (_finite == 0)
            {
                _mean = 0;
                _m2 = 0;
                return;
            }
            var d = value - _mean;
            _mean -= d / _finite;
            _m2 -= d * (value - _mean);
        }

        private void Resync()
        {
            var count = Math.Min(_pushed, _length);
            _finite = 0;
            _mean = 0;
            _m2 = 0;
            for (var i = 0; i < count; i++) Add(_ring[i]);
        }
    }
}

/// <summary>
/// A z-score scaler fitted on a training window and applied, unchanged, to later rows: how a model trained
/// on [0, T) must see rows from T on. Fit on the training rows only; NaNs are ignored.
/// </summary>
public sealed record ZScoreScaler(double Mean, double StandardDeviation)
{
    public static ZScoreScaler Fit(ReadOnlySpan<double> training)
    {
        long count = 0;
        double mean = 0, m2 = 0;
        foreach (var value in training)
        {
            if (!double.IsFinite(value)) continue;
            count++;
            var d = value - mean;
            mean += d / count;
            m2 += d * (value - mean);
        }
        if (count < 2) throw new ArgumentException($"Fitting a z-score needs at least 2 finite training values, got {count}.", nameof(training));
        return new ZScoreScaler(mean, Math.Sqrt(m2 / (count - 1)));
    }

    public double Transform(double value) =>
        !double.IsFinite(value) ? double.NaN : StandardDeviation > 0 ? (value - Mean) / StandardDeviation : 0;

    public double[] Transform(ReadOnlySpan<double> values)
    {
        var result = new double[values.Length];
        for (var t = 0; t < values.Length; t++) result[t] = Transform(values[t]);
        return result;
    }
}
