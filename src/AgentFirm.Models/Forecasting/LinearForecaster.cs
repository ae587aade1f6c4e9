namespace AgentFirm.Models.Forecasting;

/// <summary>
/// The linear baseline on standardised features (mean and sd from the training samples only): ridge regression
/// in closed form, (Z'WZ + lambda I) beta = Z'W y with an unpenalised intercept, for regression labels, and
/// L2-penalised logistic regression by iteratively reweighted least squares (Newton) for 0/1 labels.
/// Deterministic (no randomness). Regression quantiles are the forecast plus held-out residual quantiles.
/// Importance is |coefficient| on the standardised scale.
/// </summary>
public sealed class LinearForecaster : IForecaster
{
    private Standardiser? _standardiser;
    private double[] _beta = []; // [intercept, coefficients...]
    private double[] _residualQuantiles = [0, 0, 0];

    public LinearForecaster(ForecastTask task, IReadOnlyList<string> featureNames, double penalty = 1.0)
    {
        if (!(penalty >= 0)) throw new ArgumentOutOfRangeException(nameof(penalty), penalty, "the penalty cannot be negative");
        Task = task;
        FeatureNames = featureNames;
        Penalty = penalty;
    }

    public string Kind => Task == ForecastTask.Classification ? "logistic" : "ridge";
    public ForecastTask Task { get; }
    public int Lookback => 1;
    public IReadOnlyList<string> FeatureNames { get; }
    public double Penalty { get; }
    public bool IsFitted => _standardiser is not null;
    public int MaxNewtonSteps { get; init; } = 25;

    public FitReport Fit(ForecastDataset data, FitOptions options)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (train, validation) = data.SplitForValidation(1, options);
        if (train.Length < 2) throw new ArgumentException($"only {train.Length} usable training samples");
        if (Task == ForecastTask.Classification) data.RequireBinaryLabels(train);
        _standardiser = Standardiser.Fit(data.Rows, train);
        var f = FeatureNames.Count;
        var z = new double[train.Length][];
        for (var s = 0; s < train.Length; s++) z[s] = _standardiser.Transform(data.Rows[train[s]]);

        var steps = 0;
        if (Task == ForecastTask.Regression)
        {
            var w = train.Select(data.Weight).ToArray();
            var y = train.Select(i => data.Labels[i]).ToArray();
            _beta = WeightedRidge(z, y, w, f);
            steps = 1;
        }
        else
        {
            _beta = new double[f + 1];
            for (; steps < MaxNewtonSteps; steps++)
            {
                // Newton step for the penalised log-likelihood = a weighted ridge on the working response.
                var work = new double[train.Length];
                var weight = new double[train.Length];
                for (var s = 0; s < train.Length; s++)
                {
                    var eta = Linear(z[s]);
                    var p = Sigmoid(eta);
                    var v = Math.Max(p * (1 - p), 1e-9);
                    weight[s] = v * data.Weight(train[s]);
                    work[s] = eta + (data.Labels[train[s]] - p) / v;
                }
                var next = WeightedRidge(z, work, weight, f);
                var change = next.Zip(_beta, (a, b) => Math.Abs(a - b)).Max();
                _beta = next;
                options.Progress?.Report(new FitProgress(steps + 1, MaxNewtonSteps, Loss(data, train), Loss(data, validation)));
                if (change < 1e-8) { steps++; break; }
            }
        }

        var residuals = new List<double>();
        if (Task == ForecastTask.Regression)
            foreach (var i in validation) residuals.Add(data.Labels[i] - Linear(_standardiser.Transform(data.Rows[i])));
        _residualQuantiles = ResidualQuantiles.Fit(residuals);
        return new FitReport(Kind, train.Length, validation.Length, steps, Loss(data, validation), started.Elapsed);
    }

    private double[] WeightedRidge(double[][] z, double[] y, double[] w, int f)
    {
        // Unknowns: intercept + f coefficients; the penalty skips the intercept.
        var n = f + 1;
        var a = new double[n, n];
        var b = new double[n];
        var x = new double[n];
        x[0] = 1;
        for (var s = 0; s < z.Length; s++)
        {
            Array.Copy(z[s], 0, x, 1, f);
            var ws = w[s];
            for (var i = 0; i < n; i++)
            {
                var wxi = ws * x[i];
                b[i] += wxi * y[s];
                for (var j = 0; j <= i; j++) a[i, j] += wxi * x[j];
            }
        }
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++) a[i, j] = a[j, i];
        for (var i = 1; i < n; i++) a[i, i] += Penalty + 1e-10;
        a[0, 0] += 1e-10;
        return LinearAlgebra.SolveSpd(a, b);
    }

    private double Linear(ReadOnlySpan<double> standardised)
    {
        var eta = _beta[0];
        for (var j = 0; j < standardised.Length; j++) eta += _beta[j + 1] * standardised[j];
        return eta;
    }

    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private double Loss(ForecastDataset data, int[] samples)
    {
        if (samples.Length == 0) return double.NaN;
        double sum = 0;
        foreach (var i in samples)
        {
            var p = PredictRow(data.Rows[i]).Value;
            var y = data.Labels[i];
            sum += Task == ForecastTask.Classification
                ? -(y * Math.Log(Math.Max(p, 1e-12)) + (1 - y) * Math.Log(Math.Max(1 - p, 1e-12)))
                : (y - p) * (y - p);
        }
        return sum / samples.Length;
    }

    private Forecast PredictRow(double[] row)
    {
        if (_standardiser is null) throw new InvalidOperationException("the forecaster is not fitted");
        Span<double> z = row.Length <= 512 ? stackalloc double[row.Length] : new double[row.Length];
        _standardiser.Transform(row, z);
        var eta = Linear(z);
        return Task == ForecastTask.Classification ? new Forecast(Sigmoid(eta)) : ResidualQuantiles.Apply(eta, _residualQuantiles);
    }

    public Forecast Predict(IReadOnlyList<double[]> rows, int index) => PredictRow(rows[index]);

    public Forecast[] PredictBatch(IReadOnlyList<double[]> rows, IReadOnlyList<int> indices) =>
        indices.Select(i => PredictRow(rows[i])).ToArray();

    public IReadOnlyList<FeatureImportance> FeatureImportance() =>
        !IsFitted ? [] : FeatureNames.Select((n, j) => new FeatureImportance(n, Math.Abs(_beta[j + 1]))).OrderByDescending(x => x.Importance).ToArray();

    public void Save(string directory)
    {
        if (_standardiser is null) throw new InvalidOperationException("the forecaster is not fitted");
        new ForecasterMetadata
        {
            Kind = Kind,
            Task = Task,
            FeatureNames = FeatureNames,
            Numbers = { ["penalty"] = Penalty },
            Arrays = { ["mean"] = _standardiser.Mean, ["scale"] = _standardiser.Scale, ["beta"] = _beta, ["residual_quantiles"] = _residualQuantiles },
            Importance = FeatureImportance(),
        }.Write(directory);
    }

    public static LinearForecaster Load(string directory)
    {
        var meta = ForecasterMetadata.Read(directory);
        var model = new LinearForecaster(meta.Task, meta.FeatureNames, meta.Number("penalty"))
        {
            _standardiser = new Standardiser(meta.Array("mean"), meta.Array("scale")),
            _beta = meta.Array("beta"),
            _residualQuantiles = meta.Array("residual_quantiles"),
        };
        return model;
    }
}
