namespace AgentFirm.Models.Forecasting;

/// <summary>Small dense solves for the linear baselines (a few hundred unknowns at most).</summary>
internal static class LinearAlgebra
{
    /// <summary>Solves A x = b for symmetric positive definite A by Cholesky; A is overwritten.</summary>
    public static double[] SolveSpd(double[,] a, double[] b)
    {
        var n = b.Length;
        for (var j = 0; j < n; j++)
        {
            var d = a[j, j];
            for (var k = 0; k < j; k++) d -= a[j, k] * a[j, k];
            if (!(d > 0)) throw new InvalidOperationException("the normal equations are not positive definite; raise the penalty");
            var l = Math.Sqrt(d);
            a[j, j] = l;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i, j];
                for (var k = 0; k < j; k++) s -= a[i, k] * a[j, k];
                a[i, j] = s / l;
            }
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++) s -= a[i, k] * y[k];
            y[i] = s / a[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < n; k++) s -= a[k, i] * x[k];
            x[i] = s / a[i, i];
        }
        return x;
    }
}
