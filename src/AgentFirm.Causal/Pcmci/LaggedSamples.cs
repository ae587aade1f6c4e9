using System.Numerics;

namespace AgentFirm.Causal;

/// <summary>
/// The sample window of one PCMCI run: steps t = 2 tau_max .. T-1, and the lagged columns x_v[t - lag] for
/// lag 0..2 tau_max as slices of the series (no copies). On first use every column is centred on its present
/// values (missing ones set to 0) and the cross products of all column pairs are computed once; a test then needs
/// no pass over the data: its covariance matrix is read off those sums, minus the contributions of the few rows
/// it must drop because one of its values is missing.
/// </summary>
internal sealed class LaggedSamples
{
    private readonly double[][] _series;
    private readonly int[][] _missing;
    private readonly Lazy<Moments> _moments;

    public LaggedSamples(PcmciData data, int tauMax)
    {
        if (tauMax < 0) throw new ArgumentOutOfRangeException(nameof(tauMax), $"tau_max must be >= 0, got {tauMax}.");
        _series = data.Series;
        N = data.N;
        TauMax = tauMax;
        Lags = 2 * tauMax + 1;
        Start = 2 * tauMax;
        Count = data.T - Start;
        if (Count < 1) throw new ArgumentException($"{data.T} steps leave no samples after cutting 2 tau_max = {Start}.");
        _missing = new int[N * Lags][];
        for (var v = 0; v < N; v++)
            for (var lag = 0; lag < Lags; lag++)
            {
                var col = Column(new LaggedVar(v, lag));
                var rows = new List<int>();
                for (var t = 0; t < col.Length; t++) if (double.IsNaN(col[t])) rows.Add(t);
                _missing[v * Lags + lag] = rows.ToArray();
            }
        _moments = new Lazy<Moments>(ComputeMoments, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int N { get; }
    public int TauMax { get; }
    /// <summary>Lags 0 .. Lags-1 are addressable (2 tau_max + 1 of them).</summary>
    public int Lags { get; }
    public int Start { get; }
    public int Count { get; }

    public int Index(LaggedVar v)
    {
        if ((uint)v.Var >= (uint)N || (uint)v.Lag >= (uint)Lags)
            throw new ArgumentOutOfRangeException(nameof(v), $"Node {v} is outside {N} variables and lags 0..{Lags - 1}.");
        return v.Var * Lags + v.Lag;
    }

    public ReadOnlySpan<double> Column(LaggedVar v) => _series[v.Var].AsSpan(Start - v.Lag, Count);

    /// <summary>Window rows (0-based) where the node's value is missing.</summary>
    public ReadOnlySpan<int> Missing(LaggedVar v) => _missing[Index(v)];

    /// <summary>
    /// Fills the d x d covariance matrix (divided by the count) of the nodes over the window rows where none of them
    /// is missing, and returns that count.
    /// </summary>
    public int Covariance(ReadOnlySpan<LaggedVar> nodes, Span<double> cov)
    {
        var d = nodes.Length;
        var dropped = DroppedRows(nodes);
        var n = Count - dropped.Length;
        if (n <= 0)
        {
            cov[..(d * d)].Clear();
            return 0;
        }
        // with most rows dropped, subtracting them from the window sums would lose precision: sum directly
        if (dropped.Length > Count / 4) return DirectCovariance(nodes, cov, dropped, n);

        var m = _moments.Value;
        var size = N * Lags;
        Span<int> index = d <= 64 ? stackalloc int[d] : new int[d];
        for (var a = 0; a < d; a++) index[a] = Index(nodes[a]);
        Span<double> mean = d <= 64 ? stackalloc double[d] : new double[d];
        // the dropped rows' centred values, one row of d per dropped step
        var r = dropped.Length;
        var gathered = r == 0 ? [] : new double[r * d];
        for (var a = 0; a < d; a++)
        {
            var centred = m.Centred[index[a]];
            var sum = m.Sums[index[a]];
            for (var k = 0; k < r; k++)
            {
                var value = centred[dropped[k]];
                gathered[k * d + a] = value;
                sum -= value;
            }
            mean[a] = sum / n;
        }
        for (var a = 0; a < d; a++)
            for (var b = a; b < d; b++)
            {
                var cross = m.Gram[index[a] * size + index[b]];
                for (var k = 0; k < r; k++) cross -= gathered[k * d + a] * gathered[k * d + b];
                cov[a * d + b] = cov[b * d + a] = cross / n - mean[a] * mean[b];
            }
        return n;
    }

    [ThreadStatic] private static int[]? _stamp;
    [ThreadStatic] private static int _generation;

    /// <summary>
    /// Rows where any node is missing, each once, in the order the nodes list them (deterministic for given nodes);
    /// empty for complete data. A per-thread stamp array avoids a set per test.
    /// </summary>
    private int[] DroppedRows(ReadOnlySpan<LaggedVar> nodes)
    {
        var total = 0;
        foreach (var v in nodes) total += _missing[Index(v)].Length;
        if (total == 0) return [];
        if (_stamp is null || _stamp.Length < Count) { _stamp = new int[Count]; _generation = 0; }
        var generation = ++_generation;
        if (generation == int.MaxValue) { Array.Clear(_stamp); _generation = generation = 1; }
        var rows = new List<int>(total);
        foreach (var v in nodes)
            foreach (var t in _missing[Index(v)])
                if (_stamp[t] != generation)
                {
                    _stamp[t] = generation;
                    rows.Add(t);
                }
        return rows.ToArray();
    }

    private int DirectCovariance(ReadOnlySpan<LaggedVar> nodes, Span<double> cov, int[] dropped, int n)
    {
        var d = nodes.Length;
        var use = new bool[Count];
        Array.Fill(use, true);
        foreach (var t in dropped) use[t] = false;
        var means = new double[d];
        for (var a = 0; a < d; a++)
        {
            var col = Column(nodes[a]);
            double s = 0;
            for (var t = 0; t < Count; t++) if (use[t]) s += col[t];
            means[a] = s / n;
        }
        for (var a = 0; a < d; a++)
        {
            var ca = Column(nodes[a]);
            for (var b = a; b < d; b++)
            {
                var cb = Column(nodes[b]);
                double s = 0;
                for (var t = 0; t < Count; t++)
                    if (use[t]) s += (ca[t] - means[a]) * (cb[t] - means[b]);
                cov[a * d + b] = cov[b * d + a] = s / n;
            }
        }
        return n;
    }

    /// <summary>Columns centred on their present values (missing -> 0), their sums, and all pairwise cross products.</summary>
    private sealed record Moments(double[][] Centred, double[] Sums, double[] Gram);

    private Moments ComputeMoments()
    {
        var size = N * Lags;
        var n = Count;
        var centred = new double[size][];
        var sums = new double[size];
        for (var c = 0; c < size; c++)
        {
            var col = Column(new LaggedVar(c / Lags, c % Lags));
            double s = 0;
            var present = 0;
            foreach (var x in col)
                if (!double.IsNaN(x)) { s += x; present++; }
            var mean = present > 0 ? s / present : 0;
            var copy = new double[n];
            double residual = 0;
            for (var t = 0; t < n; t++)
            {
                copy[t] = double.IsNaN(col[t]) ? 0 : col[t] - mean;
                residual += copy[t];
            }
            centred[c] = copy;
            sums[c] = residual; // zero up to rounding; kept so the bookkeeping is exact
        }
        var gram = new double[size * size];
        // rows are independent: parallel and still deterministic
        Parallel.For(0, size, a =>
        {
            var ca = centred[a];
            for (var b = a; b < size; b++)
            {
                var value = Dot(ca, centred[b]);
                gram[a * size + b] = value;
                gram[b * size + a] = value;
            }
        });
        return new Moments(centred, sums, gram);
    }

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var width = Vector<double>.Count;
        var acc0 = Vector<double>.Zero;
        var acc1 = Vector<double>.Zero;
        var i = 0;
        for (; i <= a.Length - 2 * width; i += 2 * width)
        {
            acc0 += new Vector<double>(a.Slice(i, width)) * new Vector<double>(b.Slice(i, width));
            acc1 += new Vector<double>(a.Slice(i + width, width)) * new Vector<double>(b.Slice(i + width, width));
        }
        var s = Vector.Sum(acc0 + acc1);
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
