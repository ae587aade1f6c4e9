namespace AgentFirm.Models.Forecasting;

/// <summary>Per-feature mean and standard deviation fitted on the training samples only (never on what is predicted).</summary>
public sealed class Standardiser
{
    public Standardiser(double[] mean, double[] scale)
    {
        if (mean.Length != scale.Length) throw new ArgumentException("mean and scale lengths differ");
        Mean = mean;
        Scale = scale;
    }

    public double[] Mean { get; }
    /// <summary>Standard deviation, 1 where a feature is constant so it maps to 0 instead of NaN.</summary>
    public double[] Scale { get; }

    public static Standardiser Fit(IReadOnlyList<double[]> rows, IReadOnlyList<int> samples)
    {
        var f = rows[samples[0]].Length;
        var mean = new double[f];
        var sq = new double[f];
        foreach (var i in samples)
        {
            var r = rows[i];
            for (var j = 0; j < f; j++) mean[j] += r[j];
        }
        for (var j = 0; j < f; j++) mean[j] /= samples.Count;
        foreach (var i in samples)
        {
            var r = rows[i];
            for (var j = 0; j < f; j++) { var d = r[j] - mean[j]; sq[j] += d * d; }
        }
        var scale = new double[f];
        for (var j = 0; j < f; j++)
        {
            var sd = Math.Sqrt(sq[j] / Math.Max(1, samples.Count - 1));
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        return new Standardiser(mean, scale);
    }

    public void Transform(ReadOnlySpan<double> row, Span<double> into)
    {
        for (var j = 0; j < row.Length; j++) into[j] = (row[j] - Mean[j]) / Scale[j];
    }

    public double[] Transform(double[] row)
    {
        var z = new double[row.Length];
        Transform(row, z);
        return z;
    }
}
