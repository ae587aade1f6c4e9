namespace AgentFirm.Quant.Validation;

/// <summary>The result of a two-sample Kolmogorov-Smirnov test.</summary>
public readonly record struct KsResult(double Statistic, double PValue, int FirstCount, int SecondCount)
{
    /// <summary>Effective sample size n m / (n + m) of the asymptotic distribution.</summary>
    public double EffectiveCount => (double)FirstCount * SecondCount / (FirstCount + SecondCount);
}

/// <summary>
/// Two-sample Kolmogorov-Smirnov test (Smirnov 1939, 1948): D = sup_x |F_1(x) - F_2(x)| of the two empirical
/// distribution functions, and the asymptotic p-value P(D >= d) ~ Q_KS(sqrt(n m / (n + m)) d), with Q_KS the
/// Kolmogorov distribution's survival function Q_KS(L) = 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 L^2) (Kolmogorov
/// 1933). This is the plain asymptotic form (scipy's ks_2samp(method='asymp') before scipy 1.5, i.e.
/// kstwobign.sf(sqrt(en) d)); it is accurate for samples of a few dozen and more, slightly conservative below.
/// NaNs are left out of both samples.
/// </summary>
public static class KolmogorovSmirnov
{
    public static KsResult TwoSample(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        var a = SortedFinite(first);
        var b = SortedFinite(second);
        return TwoSampleSorted(a, b);
    }

    /// <summary>The test on samples already sorted ascending and free of NaN (the monitor keeps its training sample so).</summary>
    public static KsResult TwoSampleSorted(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == 0 || b.Length == 0) throw new ArgumentException($"Both samples need at least one finite value (got {a.Length} and {b.Length}).");
        int n = a.Length, m = b.Length;
        int i = 0, j = 0;
        var d = 0.0;
        // Walk the pooled values in order; at each distinct value both ECDFs have taken every tie, then compare.
        while (i < n && j < m)
        {
            var x = Math.Min(a[i], b[j]);
            while (i < n && a[i] == x) i++;
            while (j < m && b[j] == x) j++;
            d = Math.Max(d, Math.Abs((double)i / n - (double)j / m));
        }
        var effective = (double)n * m / (n + m);
        return new KsResult(d, KolmogorovSurvival(Math.Sqrt(effective) * d), n, m);
    }

    /// <summary>
    /// Q_KS(L) = P(K &gt; L) for the Kolmogorov distribution: the alternating series 2 sum (-1)^(k-1) exp(-2 k^2 L^2)
    /// for L &gt;= 1 (fast there), and 1 - sqrt(2 pi) / L sum exp(-(2k-1)^2 pi^2 / (8 L^2)) below (the Jacobi theta
    /// form, which converges where the first does not).
    /// </summary>
    public static double KolmogorovSurvival(double lambda)
    {
        if (double.IsNaN(lambda)) return double.NaN;
        if (lambda <= 0) return 1;
        if (lambda < 1)
        {
            var sum = 0.0;
            for (var k = 1; k <= 20; k++)
            {
                var odd = 2 * k - 1;
                var term = Math.Exp(-odd * odd * Math.PI * Math.PI / (8 * lambda * lambda));
                sum += term;
                if (term < 1e-17 * sum) break;
            }
            return Math.Clamp(1 - Math.Sqrt(2 * Math.PI) / lambda * sum, 0, 1);
        }
        var total = 0.0;
        var sign = 1.0;
        for (var k = 1; k <= 100; k++)
        {
            var term = Math.Exp(-2.0 * k * k * lambda * lambda);
            total += sign * term;
            if (term < 1e-17 * Math.Abs(total)) break;
            sign = -sign;
        }
        return Math.Clamp(2 * total, 0, 1);
    }

    private static double[] SortedFinite(ReadOnlySpan<double> values)
    {
        var list = new List<double>(values.Length);
        foreach (var v in values)
            if (!double.IsNaN(v)) list.Add(v);
        var array = list.ToArray();
        Array.Sort(array);
        return array;
    }
}
