using System.Numerics;
using MathNet.Numerics;

namespace AgentFirm.Causal;

/// <summary>
/// Partial-correlation test (tigramite's ParCorr): the Pearson correlation of the residuals of X and of Y after
/// least-squares regression on Z, with the analytic two-sided Student-t p-value on df = n - 2 - |Z| degrees of
/// freedom, where n is the number of samples left after masking.
/// The residual correlation is computed from the covariance matrix of (X, Y, Z) by eliminating Z (a Schur
/// complement, i.e. Cholesky on the small matrix), which is the same number as regressing on standardised data;
/// columns of Z that are linear combinations of earlier ones are dropped, as a least-squares solver would.
/// </summary>
public sealed class ParCorr : ICondIndTest
{
    /// <summary>A pivot below this share of the column's own variance counts as collinear with earlier conditions.</summary>
    internal const double CollinearTolerance = 1e-10;

    public string Name => "parcorr";

    public ICondIndSession Open(PcmciData data, int tauMax) => new Session(new LaggedSamples(data, tauMax));

    /// <summary>
    /// Two-sided p-value of a partial correlation r on df degrees of freedom: t = r sqrt(df / (1 - r^2)) and
    /// P(|T_df| &gt;= |t|) = I_{df/(df+t^2)}(df/2, 1/2) = I_{1-r^2}(df/2, 1/2), exact even far in the tail.
    /// NaN when df &lt; 1 (as tigramite).
    /// </summary>
    public static double PValue(double r, int df)
    {
        if (df < 1 || double.IsNaN(r)) return double.NaN;
        var x = 1 - r * r;
        if (x <= 0) return 0;
        return Math.Clamp(SpecialFunctions.BetaRegularized(df / 2.0, 0.5, x), 0, 1);
    }

    /// <summary>Partial correlation of x and y given the columns of z (rows are samples; no missing values).</summary>
    public static double PartialCorrelation(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<IReadOnlyList<double>> z)
    {
        var d = 2 + z.Count;
        var n = x.Count;
        var columns = new IReadOnlyList<double>[d];
        columns[0] = x;
        columns[1] = y;
        for (var k = 0; k < z.Count; k++) columns[2 + k] = z[k];
        foreach (var c in columns)
            if (c.Count != n) throw new ArgumentException("All columns need the same number of samples.");
        var means = columns.Select(c => c.Average()).ToArray();
        var cov = new double[d * d];
        for (var a = 0; a < d; a++)
            for (var b = a; b < d; b++)
            {
                double s = 0;
                for (var t = 0; t < n; t++) s += (columns[a][t] - means[a]) * (columns[b][t] - means[b]);
                cov[a * d + b] = cov[b * d + a] = s / n;
            }
        Standardise(cov, d);
        return FromCorrelation(cov, d);
    }

    /// <summary>Scales a covariance matrix to a correlation matrix, so the collinearity tolerance is relative.</summary>
    internal static void Standardise(Span<double> cov, int d)
    {
        Span<double> scale = d <= 64 ? stackalloc double[d] : new double[d];
        for (var a = 0; a < d; a++)
        {
            var v = cov[a * d + a];
            scale[a] = v > 0 ? 1 / Math.Sqrt(v) : 0;
        }
        for (var a = 0; a < d; a++)
            for (var b = 0; b < d; b++)
                cov[a * d + b] *= scale[a] * scale[b];
        // a constant column becomes all zeros, so it is skipped as a condition and gives r = 0 as X or Y
    }

    private sealed class Session(LaggedSamples samples) : ICondIndSession
    {
        public CondIndResult Test(LaggedVar x, LaggedVar y, ReadOnlySpan<LaggedVar> z)
        {
            var d = 2 + z.Length;
            Span<LaggedVar> nodes = d <= 64 ? stackalloc LaggedVar[d] : new LaggedVar[d];
            nodes[0] = x;
            nodes[1] = y;
            z.CopyTo(nodes[2..]);
            Span<double> cov = d <= 64 ? stackalloc double[d * d] : new double[d * d];
            var n = samples.Covariance(nodes, cov);
            var df = n - d;
            if (df < 1) return new CondIndResult(double.NaN, double.NaN, n);
            Standardise(cov, d);
            var r = FromCorrelation(cov, d);
            return new CondIndResult(r, PValue(r, df), n);
        }

        public double? ModelSelectionScore(int j, ReadOnlySpan<LaggedVar> parents)
        {
            // tigramite: T log(RSS) + 2 p with RSS of the standardised target regressed on the parents, p = 1 + |parents|
            var d = 1 + parents.Length;
            Span<LaggedVar> nodes = d <= 64 ? stackalloc LaggedVar[d] : new LaggedVar[d];
            nodes[0] = new LaggedVar(j, 0);
            parents.CopyTo(nodes[1..]);
            Span<double> cov = d <= 64 ? stackalloc double[d * d] : new double[d * d];
            var n = samples.Covariance(nodes, cov);
            Standardise(cov, d);
            Eliminate(cov, d, keep: 1);
            var rss = n * Math.Max(cov[0], 0);
            return n * Math.Log(rss) + 2.0 * d;
        }
    }

    /// <summary>Elimination on a correlation matrix: a pivot under the tolerance means the condition is collinear with earlier ones.</summary>
    /// <remarks>
    /// Rows and columns keep..k take no part once k is eliminated, so each row is updated on its first keep columns
    /// and on its columns after k, the latter as one vector run (the same multiply and subtract per element, no
    /// fused multiply-add, so the result is bit for bit that of the element-by-element loop).
    /// </remarks>
    internal static void Eliminate(Span<double> cov, int d, int keep)
    {
        for (var k = keep; k < d; k++)
        {
            var pivot = cov[k * d + k];
            if (!(pivot > CollinearTolerance)) continue;
            var pivotRow = cov.Slice(k * d, d);
            for (var a = 0; a < d; a++)
            {
                if (a >= keep && a <= k) continue;
                var f = cov[a * d + k] / pivot;
                if (f == 0) continue;
                var row = cov.Slice(a * d, d);
                for (var b = 0; b < keep; b++) row[b] -= f * pivotRow[b];
                SubtractScaled(row[(k + 1)..], pivotRow[(k + 1)..], f);
            }
        }
    }

    /// <summary>target[i] -= f * source[i] for every i.</summary>
    private static void SubtractScaled(Span<double> target, ReadOnlySpan<double> source, double f)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var scale = new Vector<double>(f);
            for (; i <= target.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var t = target.Slice(i, Vector<double>.Count);
                (new Vector<double>(t) - scale * new Vector<double>(source.Slice(i, Vector<double>.Count))).CopyTo(t);
            }
        }
        for (; i < target.Length; i++) target[i] -= f * source[i];
    }

    /// <summary>
    /// Partial correlation of variables 0 and 1 given 2..d-1, from their d x d correlation matrix (overwritten).
    /// 0 when X or Y is fully explained by Z (nothing left to correlate).
    /// </summary>
    internal static double FromCorrelation(Span<double> cov, int d)
    {
        Eliminate(cov, d, keep: 2);
        double sxx = cov[0], syy = cov[d + 1], sxy = cov[1];
        if (!(sxx > CollinearTolerance) || !(syy > CollinearTolerance)) return 0;
        return Math.Clamp(sxy / Math.Sqrt(sxx * syy), -1, 1);
    }
}
