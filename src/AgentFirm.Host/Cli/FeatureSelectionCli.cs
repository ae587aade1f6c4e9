using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Models.Forecasting;
using AgentFirm.Models.Forecasting.Selection;

namespace AgentFirm.Host.Cli;

/// <summary>
/// The --features flags `train` and `validate` share: all features, the causal parents of the forward return
/// (PCMCI with ParCorr) or Boruta's confirmed features, selected inside every training window.
/// </summary>
internal sealed class FeatureSelectionCli
{
    public readonly Option<string> Features = new("--features") { Description = "Inputs: all, causal (PCMCI parents of the forward return) or boruta (shadow-feature selection), chosen on each training window", DefaultValueFactory = _ => "all" };
    public readonly Option<int?> BorutaRuns = new("--boruta-runs") { Description = "Boruta: most importance runs (default 30)" };
    public readonly Option<double?> CausalAlpha = new("--causal-alpha") { Description = "Causal: MCI significance level of a parent (default 0.05)" };
    public readonly Option<int?> CausalCandidates = new("--causal-candidates") { Description = "Causal: features (largest |correlation| with the return) handed to PCMCI (default 15)" };
    public readonly Option<int?> CausalTauMax = new("--causal-tau-max") { Description = "Causal: largest lead in label horizons (default 1)" };

    public IEnumerable<Option> All => [Features, BorutaRuns, CausalAlpha, CausalCandidates, CausalTauMax];

    public FeatureSelection Read(ParseResult parse)
    {
        FeatureSelectionMethod method;
        try { method = FeatureSelection.ParseMethod(parse.GetValue(Features)!); }
        catch (FormatException ex) { throw new BadInputException($"--features: {ex.Message}."); }
        var boruta = new BorutaOptions();
        if (parse.GetValue(BorutaRuns) is { } runs)
            boruta = boruta with { MaxIterations = runs >= 1 ? runs : throw new BadInputException($"--boruta-runs must be at least 1, got {runs}.") };
        var causal = new CausalSelectionOptions();
        if (parse.GetValue(CausalAlpha) is { } a)
            causal = causal with { Alpha = a is > 0 and < 1 ? a : throw new BadInputException($"--causal-alpha {a} must lie in (0, 1).") };
        if (parse.GetValue(CausalCandidates) is { } k)
            causal = causal with { MaxCandidates = k >= 1 ? k : throw new BadInputException($"--causal-candidates must be at least 1, got {k}.") };
        if (parse.GetValue(CausalTauMax) is { } tau)
            causal = causal with { TauMax = tau >= 1 ? tau : throw new BadInputException($"--causal-tau-max must be at least 1, got {tau}.") };
        return new FeatureSelection { Method = method, Boruta = boruta, Causal = causal };
    }

    /// <summary>The settings as they go into metrics.json / summary.json.</summary>
    public static JsonObject Describe(FeatureSelection s) => s.Method switch
    {
        FeatureSelectionMethod.Causal => new JsonObject
        {
            ["method"] = "causal", ["test"] = "parcorr", ["alpha"] = s.Causal.Alpha, ["pc_alpha"] = s.Causal.PcAlpha,
            ["tau_max"] = s.Causal.TauMax, ["candidates"] = s.Causal.MaxCandidates,
        },
        FeatureSelectionMethod.Boruta => new JsonObject
        {
            ["method"] = "boruta", ["runs"] = s.Boruta.MaxIterations, ["alpha"] = s.Boruta.Alpha, ["bonferroni"] = s.Boruta.Bonferroni, ["trees"] = s.Boruta.Trees,
        },
        _ => new JsonObject { ["method"] = "all" },
    };

    /// <summary>selected_features.csv: one block of decisions per (configuration, fold) selection.</summary>
    public static void Write(string path, IEnumerable<(string Configuration, int Fold, FeatureSelectionReport Report)> selections)
    {
        var sb = new StringBuilder("configuration,fold,train_samples," + FeatureSelectionReport.CsvHeader + "\n");
        foreach (var (config, fold, report) in selections)
            sb.Append(report.CsvRows(string.Create(CultureInfo.InvariantCulture, $"\"{config}\",{fold},{report.TrainSamples},")));
        File.WriteAllText(path, sb.ToString());
    }
}
