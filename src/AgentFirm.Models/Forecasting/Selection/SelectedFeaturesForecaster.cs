namespace AgentFirm.Models.Forecasting.Selection;

/// <summary>
/// A forecaster that first selects its inputs on the window it is fitted on, then fits an inner forecaster on the
/// selected columns only. Callers keep passing full-width rows; forecasts project them. Because selection happens
/// inside <see cref="Fit"/>, every walk-forward fold or refit selects from its own training window only, and only
/// from the samples the inner model fits on (not its early-stopping validation tail).
/// </summary>
public sealed class SelectedFeaturesForecaster : IForecaster, IDisposable
{
    public const string SelectedFeaturesFile = "selected_features.csv";

    private readonly IFeatureSelector _selector;
    private readonly Func<IReadOnlyList<string>, IForecaster> _create;
    private readonly Action<FeatureSelectionReport>? _onSelected;
    private IForecaster? _inner;
    private int[] _columns = [];

    /// <param name="create">Builds the inner forecaster for a list of feature names (the catalog's factory).</param>
    /// <param name="onSelected">Told each selection as it is made (e.g. to write the folds' choices).</param>
    public SelectedFeaturesForecaster(IFeatureSelector selector, IReadOnlyList<string> featureNames, Func<IReadOnlyList<string>, IForecaster> create, Action<FeatureSelectionReport>? onSelected = null)
    {
        _selector = selector;
        _create = create;
        _onSelected = onSelected;
        FeatureNames = featureNames;
        var template = create(featureNames); // only for its kind, task and lookback
        Kind = template.Kind;
        Task = template.Task;
        Lookback = template.Lookback;
        (template as IDisposable)?.Dispose();
    }

    public string Kind { get; }
    public ForecastTask Task { get; }
    public int Lookback { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public bool IsFitted => _inner?.IsFitted == true;
    public FeatureSelectionReport? Selection { get; private set; }
    public IForecaster? Inner => _inner;

    public FitReport Fit(ForecastDataset data, FitOptions options)
    {
        // Select on the part the inner model trains on: its held-out validation tail stays out of the selection too.
        var train = data.SplitForValidation(Lookback, options).Train;
        var selection = _selector.Select(data, train);
        Selection = selection;
        _onSelected?.Invoke(selection);
        _columns = selection.Indices.ToArray();
        (_inner as IDisposable)?.Dispose();
        _inner = _create(selection.Names);
        var rows = new double[data.Count][];
        for (var i = 0; i < rows.Length; i++) rows[i] = Project(data.Rows[i]);
        return _inner.Fit(new ForecastDataset(selection.Names, rows, data.Labels, data.Weights), options);
    }

    private double[] Project(double[] row)
    {
        var r = new double[_columns.Length];
        for (var c = 0; c < r.Length; c++) r[c] = row[_columns[c]];
        return r;
    }

    private IForecaster Fitted => _inner ?? throw new InvalidOperationException("the forecaster is not fitted");

    public Forecast Predict(IReadOnlyList<double[]> rows, int index) => Fitted.Predict(new Projected(rows, this), index);

    public Forecast[] PredictBatch(IReadOnlyList<double[]> rows, IReadOnlyList<int> indices) => Fitted.PredictBatch(new Projected(rows, this), indices);

    public IReadOnlyList<FeatureImportance> FeatureImportance() => _inner?.FeatureImportance() ?? [];

    /// <summary>The inner model (trained on the selected columns; its forecaster.json lists them) and selected_features.csv.</summary>
    public void Save(string directory)
    {
        Fitted.Save(directory);
        File.WriteAllText(Path.Combine(directory, SelectedFeaturesFile), FeatureSelectionReport.CsvHeader + "\n" + Selection!.CsvRows());
    }

    public void Dispose() => (_inner as IDisposable)?.Dispose();

    /// <summary>Full-width rows seen through the selected columns, projected on access (sequence models read a few rows each).</summary>
    private sealed class Projected(IReadOnlyList<double[]> rows, SelectedFeaturesForecaster owner) : IReadOnlyList<double[]>
    {
        public double[] this[int index] => owner.Project(rows[index]);
        public int Count => rows.Count;

        public IEnumerator<double[]> GetEnumerator()
        {
            for (var i = 0; i < rows.Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
