namespace AgentFirm.Models.Forecasting;

/// <summary>Classification forecasts the probability that the label is 1 (up); regression forecasts the label's value.</summary>
public enum ForecastTask { Classification, Regression }

/// <summary>
/// One forecast: <see cref="Value"/> is P(label = 1) for classification or the expected label for regression;
/// the 10/50/90% quantiles of the label where the model gives them (null otherwise).
/// </summary>
public readonly record struct Forecast(double Value, double? Q10 = null, double? Q50 = null, double? Q90 = null)
{
    public bool HasQuantiles => Q10.HasValue && Q50.HasValue && Q90.HasValue;
}

public readonly record struct FeatureImportance(string Feature, double Importance);

/// <summary>Progress of an iterative fit: epoch (or boosting round) and losses, for progress lines.</summary>
public readonly record struct FitProgress(int Epoch, int MaxEpochs, double TrainLoss, double ValidationLoss);

public sealed record FitOptions
{
    /// <summary>The last share of usable samples (in time order) held out for early stopping and calibration.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>
    /// Samples dropped between the training and the validation part so training labels do not overlap the
    /// validation ones (set it to the label horizon).
    /// </summary>
    public int PurgeGap { get; init; }

    public int Seed { get; init; } = 42;
    public IProgress<FitProgress>? Progress { get; init; }
}

public sealed record FitReport(string Model, int TrainSamples, int ValidationSamples, int Epochs, double ValidationLoss, TimeSpan Elapsed);

/// <summary>
/// A forecaster fitted on a window of time-ordered feature rows and used as-of a decision row. Tabular models
/// look at one row (<see cref="Lookback"/> = 1); sequence models at the last <see cref="Lookback"/> rows ending at
/// the decision row. Nothing after the decision row is ever read.
/// </summary>
public interface IForecaster
{
    /// <summary>The model's kind as the CLI names it: ridge, logistic, lightgbm, lstm, ...</summary>
    string Kind { get; }
    ForecastTask Task { get; }
    int Lookback { get; }
    IReadOnlyList<string> FeatureNames { get; }
    bool IsFitted { get; }

    FitReport Fit(ForecastDataset data, FitOptions options);

    /// <summary>The forecast as of row <paramref name="index"/> of <paramref name="rows"/>, using rows index-Lookback+1..index.</summary>
    Forecast Predict(IReadOnlyList<double[]> rows, int index);

    Forecast[] PredictBatch(IReadOnlyList<double[]> rows, IReadOnlyList<int> indices);

    /// <summary>Importance per feature where the model has it (empty otherwise), largest first.</summary>
    IReadOnlyList<FeatureImportance> FeatureImportance();

    /// <summary>Writes the model and a forecaster.json describing it into <paramref name="directory"/>.</summary>
    void Save(string directory);
}
