using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentFirm.Models.Forecasting;

/// <summary>forecaster.json: what a saved model is, so a loader can pick the class and check its inputs.</summary>
public sealed record ForecasterMetadata
{
    public const string FileName = "forecaster.json";

    public required string Kind { get; init; }
    public required ForecastTask Task { get; init; }
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public int Lookback { get; init; } = 1;
    /// <summary>Model-specific numbers (standardisation, coefficients, residual quantiles, hyper-parameters).</summary>
    public Dictionary<string, double[]> Arrays { get; init; } = [];
    public Dictionary<string, double> Numbers { get; init; } = [];
    public IReadOnlyList<FeatureImportance> Importance { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));
    }

    public static ForecasterMetadata Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"No {FileName} in {directory}: not a saved forecaster.", path);
        return JsonSerializer.Deserialize<ForecasterMetadata>(File.ReadAllText(path), Json)
               ?? throw new InvalidDataException($"{path} is empty.");
    }

    public double Number(string key) => Numbers.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{FileName} lacks '{key}'.");
    public double[] Array(string key) => Arrays.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{FileName} lacks '{key}'.");
}
