using AgentFirm.Models.Forecasting;

namespace AgentFirm.Models.Deep;

/// <summary>Settings for whichever forecaster the catalog builds.</summary>
public sealed record ForecasterChoices
{
    public DeepSettings Deep { get; init; } = new();
    public LightGbmSettings LightGbm { get; init; } = new();
    public double RidgePenalty { get; init; } = 1.0;
    public Action<string>? Log { get; init; }
}

/// <summary>
/// Every forecaster by the name the CLI uses: ridge (ridge regression, or L2 logistic regression for a 0/1
/// label), lightgbm, lstm, gru, dlinear, nlinear, patchtst.
/// </summary>
public static class ForecasterCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["ridge", "lightgbm", "lstm", "gru", "dlinear", "nlinear", "patchtst"];

    public static IForecaster Create(string name, ForecastTask task, IReadOnlyList<string> features, ForecasterChoices? choices = null)
    {
        choices ??= new ForecasterChoices();
        return name.ToLowerInvariant() switch
        {
            "ridge" or "logistic" => new LinearForecaster(task, features, choices.RidgePenalty),
            "lightgbm" => new LightGbmForecaster(task, features, choices.LightGbm),
            "lstm" or "gru" or "dlinear" or "nlinear" or "patchtst" =>
                new DeepForecaster(DeepSettings.ParseArchitecture(name), task, features, choices.Deep, choices.Log),
            _ => throw new ArgumentException($"unknown model '{name}': use one of {string.Join(", ", Names)}"),
        };
    }

    /// <summary>Loads what <see cref="IForecaster.Save"/> wrote, picking the class from forecaster.json.</summary>
    public static IForecaster Load(string directory, DeviceChoice device = DeviceChoice.Auto, Action<string>? log = null)
    {
        var meta = ForecasterMetadata.Read(directory);
        return meta.Kind switch
        {
            "ridge" or "logistic" => LinearForecaster.Load(directory),
            "lightgbm" => LightGbmForecaster.Load(directory),
            _ => DeepForecaster.Load(directory, device, log),
        };
    }
}
