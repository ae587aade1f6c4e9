using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace AgentFirm.Models.Forecasting;

/// <summary>Hyper-parameters of the gradient-boosted trees (LightGBM's usual defaults, a slower learning rate).</summary>
public sealed record LightGbmSettings
{
    public int Iterations { get; init; } = 300;
    public double LearningRate { get; init; } = 0.05;
    public int Leaves { get; init; } = 31;
    public int MinimumLeafSamples { get; init; } = 50;
    public double FeatureFraction { get; init; } = 0.8;
    public double L2 { get; init; } = 1.0;
    public int EarlyStoppingRounds { get; init; } = 30;
    /// <summary>One thread (the default) keeps fits bit-for-bit reproducible.</summary>
    public int Threads { get; init; } = 1;
}

/// <summary>
/// Gradient-boosted trees through ML.NET's LightGBM trainers: binary classification (P(up)) or regression.
/// Seeded and deterministic (LightGBM's deterministic mode, one thread). Early stopping on the validation
/// part. Quantiles: ML.NET 5 does not expose LightGBM's quantile objective (nor custom losses), so regression
/// quantiles are the point forecast plus the 10/50/90% quantiles of residuals on the held-out validation part
/// (split-conformal); classification gives none. Importance is LightGBM's split gain per feature.
/// </summary>
public sealed class LightGbmForecaster : IForecaster
{
    public const string ModelFile = "lightgbm.zip";

    private readonly MLContext _ml;
    private ITransformer? _model;
    private PredictionEngine<Input, BinaryOutput>? _binaryEngine;
    private PredictionEngine<Input, RegressionOutput>? _regressionEngine;
    private double[] _residualQuantiles = [0, 0, 0];
    private IReadOnlyList<FeatureImportance> _importance = [];
    private int _seed = 42;

    public LightGbmForecaster(ForecastTask task, IReadOnlyList<string> featureNames, LightGbmSettings? settings = null)
    {
        Task = task;
        FeatureNames = featureNames;
        Settings = settings ?? new LightGbmSettings();
        _ml = new MLContext(seed: 42);
    }

    public string Kind => "lightgbm";
    public ForecastTask Task { get; }
    public int Lookback => 1;
    public IReadOnlyList<string> FeatureNames { get; }
    public LightGbmSettings Settings { get; }
    public bool IsFitted => _model is not null;

    public sealed class Input
    {
        public float[] Features = [];
        public bool Label;
        public float Target;
        public float Weight;
    }

    public sealed class BinaryOutput
    {
        public float Probability;
    }

    public sealed class RegressionOutput
    {
        public float Score;
    }

    public FitReport Fit(ForecastDataset data, FitOptions options)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (train, validation) = data.SplitForValidation(1, options);
        if (train.Length < 10) throw new ArgumentException($"only {train.Length} usable training samples");
        if (Task == ForecastTask.Classification) data.RequireBinaryLabels(train);
        _seed = options.Seed;
        var ml = new MLContext(seed: options.Seed);
        var trainView = View(ml, data, train);
        var validationView = validation.Length > 0 ? View(ml, data, validation) : null;
        var booster = new GradientBooster.Options { L2Regularization = Settings.L2, FeatureFraction = Settings.FeatureFraction };
        var early = validationView is null ? 0 : Settings.EarlyStoppingRounds;

        if (Task == ForecastTask.Classification)
        {
            var trainer = ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                LabelColumnName = nameof(Input.Label),
                FeatureColumnName = nameof(Input.Features),
                ExampleWeightColumnName = nameof(Input.Weight),
                NumberOfIterations = Settings.Iterations,
                LearningRate = Settings.LearningRate,
                NumberOfLeaves = Settings.Leaves,
                MinimumExampleCountPerLeaf = Settings.MinimumLeafSamples,
                NumberOfThreads = Settings.Threads,
                Seed = options.Seed,
                Deterministic = true,
                EarlyStoppingRound = early,
                EvaluationMetric = LightGbmBinaryTrainer.Options.EvaluateMetricType.Logloss,
                Booster = booster,
                Silent = true,
                Verbose = false,
            });
            var model = validationView is null ? trainer.Fit(trainView) : trainer.Fit(trainView, validationView);
            _model = model;
            _importance = Importance(model.Model.SubModel);
        }
        else
        {
            var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                LabelColumnName = nameof(Input.Target),
                FeatureColumnName = nameof(Input.Features),
                ExampleWeightColumnName = nameof(Input.Weight),
                NumberOfIterations = Settings.Iterations,
                LearningRate = Settings.LearningRate,
                NumberOfLeaves = Settings.Leaves,
                MinimumExampleCountPerLeaf = Settings.MinimumLeafSamples,
                NumberOfThreads = Settings.Threads,
                Seed = options.Seed,
                Deterministic = true,
                EarlyStoppingRound = early,
                EvaluationMetric = LightGbmRegressionTrainer.Options.EvaluateMetricType.MeanSquaredError,
                Booster = booster,
                Silent = true,
                Verbose = false,
            });
            var model = validationView is null ? trainer.Fit(trainView) : trainer.Fit(trainView, validationView);
            _model = model;
            _importance = Importance(model.Model);
        }
        CreateEngines();

        var residuals = new List<double>();
        if (Task == ForecastTask.Regression)
            foreach (var i in validation) residuals.Add(data.Labels[i] - Point(data.Rows[i]));
        _residualQuantiles = ResidualQuantiles.Fit(residuals);
        var loss = ValidationLoss(data, validation);
        options.Progress?.Report(new FitProgress(Settings.Iterations, Settings.Iterations, double.NaN, loss));
        return new FitReport(Kind, train.Length, validation.Length, Settings.Iterations, loss, started.Elapsed);
    }

    private IDataView View(MLContext ml, ForecastDataset data, int[] samples)
    {
        var rows = new Input[samples.Length];
        for (var s = 0; s < samples.Length; s++)
        {
            var i = samples[s];
            var source = data.Rows[i];
            var features = new float[source.Length];
            for (var j = 0; j < source.Length; j++) features[j] = (float)source[j];
            var y = data.Labels[i];
            rows[s] = new Input { Features = features, Label = y > 0.5, Target = (float)y, Weight = (float)data.Weight(i) };
        }
        return ml.Data.LoadFromEnumerable(rows, Schema());
    }

    private SchemaDefinition Schema()
    {
        var schema = SchemaDefinition.Create(typeof(Input));
        schema[nameof(Input.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureNames.Count);
        return schema;
    }

    private IReadOnlyList<FeatureImportance> Importance(TreeEnsembleModelParameters trees)
    {
        var weights = default(VBuffer<float>);
        trees.GetFeatureWeights(ref weights);
        var dense = weights.DenseValues().ToArray();
        return FeatureNames.Select((n, j) => new FeatureImportance(n, j < dense.Length ? dense[j] : 0))
            .OrderByDescending(x => x.Importance).ToArray();
    }

    private void CreateEngines()
    {
        var schema = Schema();
        if (Task == ForecastTask.Classification)
            _binaryEngine = _ml.Model.CreatePredictionEngine<Input, BinaryOutput>(_model!, inputSchemaDefinition: schema);
        else
            _regressionEngine = _ml.Model.CreatePredictionEngine<Input, RegressionOutput>(_model!, inputSchemaDefinition: schema);
    }

    private readonly Input _scratch = new();

    private double Point(double[] row)
    {
        if (_model is null) throw new InvalidOperationException("the forecaster is not fitted");
        if (_scratch.Features.Length != row.Length) _scratch.Features = new float[row.Length];
        for (var j = 0; j < row.Length; j++) _scratch.Features[j] = (float)row[j];
        return Task == ForecastTask.Classification ? _binaryEngine!.Predict(_scratch).Probability : _regressionEngine!.Predict(_scratch).Score;
    }

    private double ValidationLoss(ForecastDataset data, int[] validation)
    {
        if (validation.Length == 0) return double.NaN;
        double sum = 0;
        foreach (var i in validation)
        {
            var p = Point(data.Rows[i]);
            var y = data.Labels[i];
            sum += Task == ForecastTask.Classification
                ? -(y * Math.Log(Math.Clamp(p, 1e-12, 1)) + (1 - y) * Math.Log(Math.Clamp(1 - p, 1e-12, 1)))
                : (y - p) * (y - p);
        }
        return sum / validation.Length;
    }

    public Forecast Predict(IReadOnlyList<double[]> rows, int index)
    {
        var p = Point(rows[index]);
        return Task == ForecastTask.Classification ? new Forecast(p) : ResidualQuantiles.Apply(p, _residualQuantiles);
    }

    public Forecast[] PredictBatch(IReadOnlyList<double[]> rows, IReadOnlyList<int> indices) =>
        indices.Select(i => Predict(rows, i)).ToArray();

    public IReadOnlyList<FeatureImportance> FeatureImportance() => _importance;

    public void Save(string directory)
    {
        if (_model is null) throw new InvalidOperationException("the forecaster is not fitted");
        Directory.CreateDirectory(directory);
        var schema = SchemaDefinition.Create(typeof(Input));
        schema[nameof(Input.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureNames.Count);
        var empty = _ml.Data.LoadFromEnumerable(Array.Empty<Input>(), schema);
        _ml.Model.Save(_model, empty.Schema, Path.Combine(directory, ModelFile));
        new ForecasterMetadata
        {
            Kind = Kind,
            Task = Task,
            FeatureNames = FeatureNames,
            Numbers = { ["seed"] = _seed, ["iterations"] = Settings.Iterations, ["learning_rate"] = Settings.LearningRate, ["leaves"] = Settings.Leaves },
            Arrays = { ["residual_quantiles"] = _residualQuantiles },
            Importance = _importance,
        }.Write(directory);
    }

    public static LightGbmForecaster Load(string directory)
    {
        var meta = ForecasterMetadata.Read(directory);
        var model = new LightGbmForecaster(meta.Task, meta.FeatureNames);
        model._model = model._ml.Model.Load(Path.Combine(directory, ModelFile), out _);
        model._residualQuantiles = meta.Array("residual_quantiles");
        model._importance = meta.Importance;
        model.CreateEngines();
        return model;
    }
}
