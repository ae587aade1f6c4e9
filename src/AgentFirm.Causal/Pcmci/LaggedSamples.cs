using System.Numerics;

namespace AgentFirm.Causal;

/// <summary>
/// The sample window of one PCMCI run: steps t = 2 tau_max .. T-1, and the lagged columns x_v[t - lag] for
/// lag 0..2 tau_max as slices of the series (no copies). On first use every column is centred on its present
/// values (missing ones set to 0); the cross product of a column pair is computed the first time a test asks
/// for it and kept, so a test needs no pass over the data: its covariance matrix is read off those sums, minus
/// the contributions of the few rows it must drop because one of its values is missing. Only the pairs the
/// tests touch are ever computed (a small screen touches a fraction of them).
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
    public ReadOnlySpan<int> Missing(LaggedVar v) => MissingRows(Index(v));

    /// <summary>Missing rows of column <paramref name="c"/>, found on first use (a racing second search finds the same rows).</summary>
    private int[] MissingRows(int c)
    {
        if (Volatile.Read(ref _missing[c]) is { } known) return known;
        var col = Column(new LaggedVar(c / Lags, c % Lags));
        var count = 0;
        foreach (var x in col) if (double.IsNaN(x)) count++;
        var rows = count == 0 ? [] : new int[count];
        for (int t = 0, k = 0; k < count; t++) if (double.IsNaN(col[t])) rows[k++] = t;
        Volatile.Write(ref _missing[c], rows);
        return rows;
    }

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
        Span<int> index = d <= 64 ? stackalloc int[d] : new int[d];
        for (var a = 0; a < d; a++) index[a] = Index(nodes[a]);
        Span<double> mean = d <= 64 ? stackalloc double[d] : new double[d];
        // the dropped rows' centred values, one row of d per dropped step
        var r = dropped.Length;
        var gathered = r == 0 ? [] : new double[r * d];
        for (var a = 0; a < d; a++)
        {
            var centred = m.Centred(index[a]);
            var sum = m.Sum(index[a]);
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
                var cross = m.Cross(index[a], index[b]);
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
        foreach (var v in nodes) total += MissingRows(Index(v)).Length;
        if (total == 0) return [];
        if (_stamp is null || _stamp.Length < Count) { _stamp = new int[Count]; _generation = 0; }
        var generation = ++_generation;
        if (generation == int.MaxValue) { Array.Clear(_stamp); _generation = generation = 1; }
        var rows = new List<int>(total);
        foreach (var v in nodes)
            foreach (var t in MissingRows(Index(v)))
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

    /// <summary>
    /// Columns centred on their present values (missing -> 0), their sums, and the pairwise cross products, each
    /// computed on first use: a small screen touches a fraction of them. Tests may run on several threads: a value
    /// computed twice at once comes out the same (the arithmetic is deterministic), and each is published only
    /// after it is written.
    /// </summary>
    private sealed class Moments(LaggedSamples samples)
    {
        private readonly int _size = samples.N * samples.Lags;
        private readonly double[]?[] _centred = new double[samples.N * samples.Lags][];
        private readonly double[] _sums = new double[samples.N * samples.Lags];
        private readonly double[] _gram = new double[samples.N * samples.Lags * samples.N * samples.Lags];
        private readonly bool[] _known = new bool[samples.N * samples.Lags * samples.N * samples.Lags];

        /// <summary>Column <paramref name="c"/> centred on the mean of its present values, missing ones 0.</summary>
        public double[] Centred(int c)
        {
            if (Volatile.Read(ref _centred[c]) is { } known) return known;
            var col = samples.Column(new LaggedVar(c / samples.Lags, c % samples.Lags));
            double s = 0;
            var present = 0;
            foreach (var x in col)
                if (!double.IsNaN(x)) { s += x; present++; }
            var mean = present > 0 ? s / present : 0;
            var copy = new double[col.Length];
            double residual = 0;
            for (var t = 0; t < copy.Length; t++)
            {
                copy[t] = double.IsNaN(col[t]) ? 0 : col[t] - mean;
                residual += copy[t];
            }
            _sums[c] = residual; // zero up to rounding; kept so the bookkeeping is exact
            Volatile.Write(ref _centred[c], copy);
            return copy;
        }

        /// <summary>The sum of the centred column (read after <see cref="Centred"/>).</summary>
        public double Sum(int c)
        {
            Centred(c);
            return _sums[c];
        }

        public double Cross(int a, int b)
        {
            if (a > b) (a, b) = (b, a);
            var at = a * _size + b;
            if (Volatile.Read(ref _known[at])) return _gram[at];
            var value = Dot(Centred(a), Centred(b));
            _gram[at] = value;
            Volatile.Write(ref _known[at], true);
            return value;
        }
    }

    private Moments ComputeMoments() => new(this);

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
