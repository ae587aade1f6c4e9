using AgentFirm.Core;
using AgentFirm.Models.Deep;
using AgentFirm.Models.Forecasting;
using AgentFirm.Models.Forecasting.Selection;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Labels;

namespace AgentFirm.Host;

/// <summary>
/// The technical analyst's forecasting tool (AgentFirm:Forecaster). Model "none" (the default) leaves the analyst
/// on its indicators alone; any forecaster name (ridge, lightgbm, lstm, gru, dlinear, nlinear, patchtst) makes each
/// analyst train it walk-forward on the bars it has seen, retraining every <see cref="RetrainEvery"/> bars on labels
/// that resolved before the decision, and cite P(up) as evidence.
/// </summary>
public sealed class ForecasterSettings
{
    public string Model { get; set; } = "none";

    /// <summary>direction:H or triple-barrier:H:K (the tool forecasts P(up), so return labels are refused).</summary>
    public string Label { get; set; } = "direction:24";

    public int RetrainEvery { get; set; } = 720;

    /// <summary>Bars of history before the first fit.</summary>
    public int MinimumBars { get; set; } = 1000;

    /// <summary>auto | cpu | cuda for the deep models (auto falls back to the CPU with a logged reason).</summary>
    public string Device { get; set; } = "auto";

    public int Seed { get; set; } = 42;

    /// <summary>all | causal (PCMCI parents of the forward return) | boruta, selected anew on every refit's training window.</summary>
    public string Features { get; set; } = "all";

    public bool Enabled => !Model.Equals("none", StringComparison.OrdinalIgnoreCase);

    public void Validate()
    {
        const string section = "Configuration error in AgentFirm:Forecaster";
        if (!Enabled) return;
        if (!ForecasterCatalog.Names.Contains(Model.ToLowerInvariant()))
            throw new BadInputException($"{section}: Model '{Model}' is not one of none, {string.Join(", ", ForecasterCatalog.Names)}.");
        var label = ParseLabel(section);
        if (label.Kind == LabelKind.Return) throw new BadInputException($"{section}: Label '{Label}' is a return label; the analyst's tool forecasts P(up), use direction:H or triple-barrier:H:K.");
        if (RetrainEvery < 1) throw new BadInputException($"{section}: RetrainEvery must be at least 1 bar, got {RetrainEvery}.");
        if (MinimumBars < 50) throw new BadInputException($"{section}: MinimumBars must be at least 50, got {MinimumBars}.");
        ParseDevice(section);
        ParseFeatures(section);
    }

    /// <summary>A factory giving every technical analyst its own tool, or null when no forecaster is configured.</summary>
    public IForecastToolFactory? CreateFactory(Action<string>? log = null)
    {
        if (!Enabled) return null;
        Validate();
        var name = Model.ToLowerInvariant();
        var label = ParseLabel("AgentFirm:Forecaster");
        var choices = new ForecasterChoices { Deep = new DeepSettings { Device = ParseDevice("AgentFirm:Forecaster") }, Log = log };
        var selection = new FeatureSelection { Method = ParseFeatures("AgentFirm:Forecaster") };
        var create = FeatureSelectors.Factory(selection, ForecastTask.Classification, label.Horizon,
            features => ForecasterCatalog.Create(name, ForecastTask.Classification, features, choices), Seed);
        return new WalkForwardForecastToolFactory(() => new WalkForwardForecastTool(name, create, label, RetrainEvery, MinimumBars, seed: Seed));
    }

    private LabelSpec ParseLabel(string section)
    {
        try { return LabelSpec.Parse(Label); }
        catch (FormatException ex) { throw new BadInputException($"{section}: {ex.Message}"); }
    }

    private FeatureSelectionMethod ParseFeatures(string section)
    {
        try { return FeatureSelection.ParseMethod(Features); }
        catch (FormatException ex) { throw new BadInputException($"{section}: Features: {ex.Message}"); }
    }

    private DeviceChoice ParseDevice(string section) => Device.ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" => DeviceChoice.Cuda,
        _ => throw new BadInputException($"{section}: Device '{Device}' must be auto, cpu or cuda."),
    };
}
