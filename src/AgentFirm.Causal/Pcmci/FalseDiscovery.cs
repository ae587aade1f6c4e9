namespace AgentFirm.Causal;

/// <summary>Multiple-testing correction of PCMCI p-values.</summary>
public static class FalseDiscovery
{
    /// <summary>
    /// Benjamini-Hochberg adjusted p-values (q-values), as tigramite's get_corrected_pvalues('fdr_bh') and
    /// statsmodels' fdr_bh: q(k) = min over l &gt;= k of p(l) m / l on the sorted p-values, capped at 1, returned in the
    /// input order. A test is a discovery at FDR level q when its q-value is &lt;= q.
    /// </summary>
    public static double[] BenjaminiHochberg(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(k => pValues[k]).ToArray(); // stable: ties keep input order
        var q = new double[m];
        var running = double.PositiveInfinity;
        for (var r = m - 1; r >= 0; r--)
        {
            var k = order[r];
            running = Math.Min(running, pValues[k] * m / (r + 1));
            q[k] = Math.Min(running, 1);
        }
        return q;
    }

    /// <summary>
    /// BH over the entries PCMCI tested and tigramite corrects: lags max(1, tau_min) .. tau_max, all pairs (self-links
    /// included at lags &gt; 0); contemporaneous entries are left as they are (tigramite's exclude_contemporaneous).
    /// </summary>
    internal static void CorrectLagged(double[][][] p, int tauMin, int tauMax)
    {
        var n = p.Length;
        var entries = new List<(int I, int J, int Tau)>();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                for (var tau = Math.Max(1, tauMin); tau <= tauMax; tau++)
                    if (!double.IsNaN(p[i][j][tau])) entries.Add((i, j, tau)); // an untestable link (too few samples) stays NaN
        var q = BenjaminiHochberg(entries.Select(e => p[e.I][e.J][e.Tau]).ToArray());
        for (var k = 0; k < entries.Count; k++) p[entries[k].I][entries[k].J][entries[k].Tau] = q[k];
    }
}
