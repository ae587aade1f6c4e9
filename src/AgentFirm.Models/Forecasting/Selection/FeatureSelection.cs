using System.Globalization;
using System.Text;

namespace AgentFirm.Models.Forecasting.Selection;

/// <summary>Which inputs a forecaster trains on: every feature, the causal parents of the forward return, or Boruta's confirmed ones.</summary>
public enum FeatureSelectionMethod { All, Causal, Boruta }

/// <summary>
/// The feature-selection setting of a forecaster (the CLI's --features). Selection always runs on the training
/// window a model is fitted on, so every walk-forward fold or refit selects from its own past only.
/// </summary>
public sealed record FeatureSelection
{
    public FeatureSelectionMethod Method { get; init; } = FeatureSelectionMethod.All;
    public BorutaOptions Boruta { get; init; } = new();
    public CausalSelectionOptions Causal { get; init; } = new();

    public static FeatureSelectionMethod ParseMethod(string text) => text.Trim().ToLowerInvariant() switch
    {
        "all" => FeatureSelectionMethod.All,
        "causal" => FeatureSelectionMethod.Causal,
        "boruta" => FeatureSelectionMethod.Boruta,
        _ => throw new FormatException($"features '{text}' must be all, causal or boruta"),
    };

    public static string Name(FeatureSelectionMethod method) => method.ToString().ToLowerInvariant();
}

/// <summary>A feature's fate in one selection: kept or not, its status (confirmed, tentative, rejected, parent, ...) and the numbers behind it.</summary>
public sealed record FeatureDecision(string Feature, bool Selected, string Status, double Statistic, double PValue, string Detail = "");

/// <summary>The outcome of one selection on one training window: the kept column indices (ascending) and every candidate's decision.</summary>
public sealed record FeatureSelectionReport(string Method, IReadOnlyList<int> Indices, IReadOnlyList<string> Names, IReadOnlyList<FeatureDecision> Decisions, int TrainSamples, string Note = "")
{
    public const string CsvHeader = "feature,selected,status,statistic,p_value,detail";

    /// <summary>One CSV line per decision (without header), prefixed by <paramref name="prefix"/> when given.</summary>
    public string CsvRows(string prefix = "")
    {
        var sb = new StringBuilder();
        foreach (var d in Decisions)
            sb.Append(prefix).Append(string.Create(CultureInfo.InvariantCulture,
                $"{d.Feature},{(d.Selected ? 1 : 0)},{d.Status},{F(d.Statistic)},{F(d.PValue)},{d.Detail.Replace(',', ';')}\n"));
        return sb.ToString();
    }

    private static string F(double x) => double.IsFinite(x) ? x.ToString("G6", CultureInfo.InvariantCulture) : "";
}

/// <summary>Picks a subset of a dataset's feature columns using only the given training samples.</summary>
public interface IFeatureSelector
{
    string Method { get; }

    /// <param name="data">The rows (all of them, as context) and labels.</param>
    /// <param name="train">Sample rows to select on: labelled, finite, inside the training window; ascending.</param>
    FeatureSelectionReport Select(ForecastDataset data, IReadOnlyList<int> train);
}

public static class FeatureSelectors
{
    /// <summary>
    /// The forecaster <paramref name="create"/> builds for all features, wrapped in a selection step unless the method is All.
    /// The causal selector's target is <see cref="LabelReturns"/> of <paramref name="data"/>, on steps of the label horizon.
    /// </summary>
    public static IForecaster Wrap(FeatureSelection selection, SupervisedData data, Func<IReadOnlyList<string>, IForecaster> create, int seed, Action<FeatureSelectionReport>? onSelected = null)
    {
        IFeatureSelector? selector = selection.Method switch
        {
            FeatureSelectionMethod.Causal => new CausalParentSelector(LabelReturns.From(data), data.Labels.Spec.Horizon, selection.Causal),
            FeatureSelectionMethod.Boruta => new BorutaSelector(data.Task, selection.Boruta with { Seed = seed }),
            _ => null,
        };
        return selector is null ? create(data.Features.Names) : new SelectedFeaturesForecaster(selector, data.Features.Names, create, onSelected);
    }

    /// <summary>
    /// A forecaster factory (feature names -&gt; forecaster) that selects inside every fit, for callers that only
    /// hand over a <see cref="ForecastDataset"/>, such as <see cref="WalkForwardForecastTool"/>. Without the bars the
    /// causal target is the dataset's label itself (a 0/1 direction: ParCorr is then the point-biserial partial
    /// correlation, a linear-probability test), spaced by the label horizon as with returns.
    /// </summary>
    public static Func<IReadOnlyList<string>, IForecaster> Factory(FeatureSelection selection, ForecastTask task, int labelHorizon, Func<IReadOnlyList<string>, IForecaster> create, int seed = 42) =>
        selection.Method switch
        {
            FeatureSelectionMethod.Causal => names => new SelectedFeaturesForecaster(new CausalParentSelector(null, labelHorizon, selection.Causal), names, create),
            FeatureSelectionMethod.Boruta => names => new SelectedFeaturesForecaster(new BorutaSelector(task, selection.Boruta with { Seed = seed }), names, create),
            _ => create,
        };
}
