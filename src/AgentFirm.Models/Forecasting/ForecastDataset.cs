namespace AgentFirm.Models.Forecasting;

/// <summary>
/// Time-ordered feature rows with one label per row (NaN where the label is not known, e.g. its horizon runs
/// past the window) and optional sample weights (e.g. AFML average uniqueness). A row is a usable sample when
/// its label is known and the <c>lookback</c> rows ending at it are all finite.
/// </summary>
public sealed class ForecastDataset
{
    public ForecastDataset(IReadOnlyList<string> featureNames, IReadOnlyList<double[]> rows, IReadOnlyList<double> labels, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Count != labels.Count) throw new ArgumentException($"{rows.Count} rows but {labels.Count} labels");
        if (weights is not null && weights.Count != rows.Count) throw new ArgumentException($"{rows.Count} rows but {weights.Count} weights");
        for (var i = 0; i < rows.Count; i++)
            if (rows[i].Length != featureNames.Count) throw new ArgumentException($"row {i} has {rows[i].Length} features, expected {featureNames.Count}");
        FeatureNames = featureNames;
        Rows = rows;
        Labels = labels;
        Weights = weights;
    }

    public IReadOnlyList<string> FeatureNames { get; }
    public IReadOnlyList<double[]> Rows { get; }
    public IReadOnlyList<double> Labels { get; }
    public IReadOnlyList<double>? Weights { get; }
    public int Count => Rows.Count;

    public double Weight(int i) => Weights?[i] ?? 1.0;

    /// <summary>Indices of usable samples for a model that reads <paramref name="lookback"/> rows, ascending.</summary>
    public int[] UsableSamples(int lookback)
    {
        var finiteRow = new bool[Rows.Count];
        for (var i = 0; i < Rows.Count; i++) finiteRow[i] = AllFinite(Rows[i]);
        var usable = new List<int>();
        var run = 0; // consecutive finite rows ending at i
        for (var i = 0; i < Rows.Count; i++)
        {
            run = finiteRow[i] ? run + 1 : 0;
            if (run >= lookback && double.IsFinite(Labels[i]) && Weight(i) > 0) usable.Add(i);
        }
        return usable.ToArray();
    }

    /// <summary>Splits usable samples into (train, validation) in time order, dropping <paramref name="purgeGap"/> between.</summary>
    public (int[] Train, int[] Validation) SplitForValidation(int lookback, FitOptions options, int minimumValidation = 20)
    {
        var usable = UsableSamples(lookback);
        var validationCount = (int)Math.Floor(usable.Length * options.ValidationFraction);
        if (options.ValidationFraction <= 0 || validationCount < minimumValidation || usable.Length - validationCount - options.PurgeGap < minimumValidation)
            return (usable, []);
        var trainCount = usable.Length - validationCount - options.PurgeGap;
        return (usable[..trainCount], usable[(usable.Length - validationCount)..]);
    }

    /// <summary>Classification trains on 0/1 labels only; anything else is a caller's mistake worth stopping on.</summary>
    public void RequireBinaryLabels(IEnumerable<int> samples)
    {
        foreach (var i in samples)
            if (Labels[i] is not (0 or 1)) throw new ArgumentException($"classification needs 0/1 labels; row {i} has {Labels[i]}");
    }

    internal static bool AllFinite(double[] row)
    {
        foreach (var x in row) if (!double.IsFinite(x)) return false;
        return true;
    }
}
