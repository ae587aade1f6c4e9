using System.Numerics;

namespace AgentFirm.Causal;

/// <summary>
/// The sample window of one PCMCI run: steps t = 2 tau_max .. T-1, and the lagged columns x_v[t - lag] for
/// lag 0..2 tau_max as slices of the series (no copies). Column covariances over the whole window are computed
/// once, on first use, for the columns without missing values; tests on those columns then need no pass over
/// the data at all.
/// </summary>
internal sealed class LaggedSamples
{
    private readonly double[][] _series;
    private readonly bool[] _complete;
    private readonly Lazy<double[]> _covariance;

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
        _complete = new bool[N * Lags];
        for (var v = 0; v < N; v++)
            for (var lag = 0; lag < Lags; lag++)
                _complete[v * Lags + lag] = !HasNaN(Column(new LaggedVar(v, lag)));
        _covariance = new Lazy<double[]>(ComputeCovariance, LazyThreadSafetyMode.ExecutionAndPublication);
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

    public bool Complete(LaggedVar v) => _complete[Index(v)];

    /// <summary>Covariance (divided by Count) of two complete columns over the whole window.</summary>
    public double Covariance(LaggedVar a, LaggedVar b) => _covariance.Value[Index(a) * N * Lags + Index(b)];

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (var x in values) if (double.IsNaN(x)) return true;
        return false;
    }

    private double[] ComputeCovariance()
    {
        var m = N * Lags;
        var n = Count;
        // centred copies of the complete columns, so each covariance is one dot product
        var centred = new double[m][];
        for (var c = 0; c < m; c++)
        {
            if (!_complete[c]) continue;
            var col = Column(new LaggedVar(c / Lags, c % Lags));
            var mean = Sum(col) / n;
            var copy = new double[n];
            for (var t = 0; t < n; t++) copy[t] = col[t] - mean;
            centred[c] = copy;
        }
        var cov = new double[m * m];
        Array.Fill(cov, double.NaN);
        // rows are independent: parallel and still deterministic
        Parallel.For(0, m, a =>
        {
            if (centred[a] is not { } ca) return;
            for (var b = a; b < m; b++)
            {
                if (centred[b] is not { } cb) continue;
                var value = Dot(ca, cb) / n;
                cov[a * m + b] = value;
                cov[b * m + a] = value;
            }
        });
        return cov;
    }

    private static double Sum(ReadOnlySpan<double> x)
    {
        double s = 0;
        foreach (var v in x) s += v;
        return s;
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
