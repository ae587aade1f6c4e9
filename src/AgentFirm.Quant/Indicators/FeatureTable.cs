namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Features column-major: <c>Columns[c][t]</c> is feature <c>Names[c]</c> at bar <c>t</c>, computed from
/// bars 0..t only (known at bar t's close); NaN during warm-up. <c>Times[t]</c> is bar t's timestamp
/// (its open time, as in the input files), so rows join back to the bars.
/// </summary>
public sealed class FeatureTable
{
    public FeatureTable(IReadOnlyList<string> names, DateTimeOffset[] times, double[][] columns)
    {
        if (names.Count != columns.Length) throw new ArgumentException($"{names.Count} names for {columns.Length} columns.");
        foreach (var column in columns)
            if (column.Length != times.Length) throw new ArgumentException($"A column has {column.Length} rows, the times {times.Length}.");
        Names = names;
        Times = times;
        Columns = columns;
    }

    public IReadOnlyList<string> Names { get; }
    public DateTimeOffset[] Times { get; }
    public double[][] Columns { get; }
    public int Rows => Times.Length;

    public double[] Column(string name)
    {
        for (var c = 0; c < Names.Count; c++)
            if (Names[c] == name) return Columns[c];
        throw new KeyNotFoundException($"No feature column '{name}'; the table has {string.Join(", ", Names)}.");
    }
}
