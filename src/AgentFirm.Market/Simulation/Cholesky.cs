using AgentFirm.Core;

namespace AgentFirm.Market.Simulation;

/// <summary>Lower-triangular Cholesky factor L of a correlation matrix (C = L Lᵀ), to turn independent normals into correlated ones.</summary>
internal static class Cholesky
{
    public static double[,] Decompose(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = matrix[i, j];
                for (var k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (sum <= 1e-12) throw new BadInputException("The correlation matrix is not positive definite.");
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        }
        return l;
    }

    /// <summary>y = L x, for a lower-triangular L.</summary>
    public static void Multiply(double[,] lower, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var k = 0; k <= i; k++) sum += lower[i, k] * x[k];
            y[i] = sum;
        }
    }
}
