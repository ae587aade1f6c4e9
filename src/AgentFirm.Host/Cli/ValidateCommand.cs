using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Models.Deep;
using AgentFirm.Models.Forecasting;
using AgentFirm.Models.Forecasting.Selection;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm validate`: cross-validates one model (or a grid of configurations) with walk-forward, purged k-fold
/// or CPCV, and writes per-fold and per-path scores, the configurations' out-of-sample returns, the PBO across
/// configurations and the deflated Sharpe of the best one given every configuration tried.
/// </summary>
public static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var shared = new ForecastCliOptions();
        var cv = new Option<string>("--cv") { Description = "walkforward, purged-kfold or cpcv", DefaultValueFactory = _ => "walkforward" };
        var folds = new Option<int>("--folds") { Description = "Folds for walkforward (test blocks after a first training block) and purged-kfold", DefaultValueFactory = _ => 5 };
        var groups = new Option<int>("--groups") { Description = "CPCV: number of groups N", DefaultValueFactory = _ => 6 };
        var testGroups = new Option<int>("--test-groups") { Description = "CPCV: test groups k per split", DefaultValueFactory = _ => 2 };
        var rolling = new Option<int?>("--rolling-window") { Description = "walkforward: train on only the last N observations before each test block (default: all of them, an expanding window)" };
        var embargo = new Option<double>("--embargo") { Description = "Embargo as a share of the observations (purged-kfold, cpcv)", DefaultValueFactory = _ => 0.01 };
        var grid = new Option<string[]>("--grid") { Description = "Configurations to try, key=v1,v2 (repeatable; model=... overrides --model, features=... overrides --features): model, trees, leaves, learning_rate, penalty, epochs, hidden, lookback, dropout, features", AllowMultipleArgumentsPerToken = true };
        var selectionFlags = new FeatureSelectionCli();
        var outDir = new Option<string?>("--out") { Description = "Output folder (default out/validate-<model>-<time>)" };
        var command = new Command("validate", "Cross-validate forecasters (walk-forward, purged k-fold, CPCV) with PBO and the deflated Sharpe across configurations.");
        foreach (var o in shared.All) command.Options.Add(o);
        var force = OutputTarget.ForceOption();
        foreach (var o in new Option[] { cv, folds, rolling, groups, testGroups, embargo, grid, outDir, force }) command.Options.Add(o);
        foreach (var o in selectionFlags.All) command.Options.Add(o);
        command.SetAction(parse =>
        {
            if (parse.GetValue(outDir) is { } requested) OutputTarget.Folder(requested, parse.GetValue(force));
            var scheme = parse.GetValue(cv)!.ToLowerInvariant() switch
            {
                "walkforward" or "walk-forward" => CvScheme.WalkForward,
                "purged-kfold" or "kfold" => CvScheme.PurgedKFold,
                "cpcv" => CvScheme.Cpcv,
                var s => throw new BadInputException($"--cv '{s}' must be walkforward, purged-kfold or cpcv."),
            };
            var settings = new CvSettings(scheme, parse.GetValue(folds), parse.GetValue(groups), parse.GetValue(testGroups), parse.GetValue(embargo), parse.GetValue(rolling));
            if (settings.RollingWindow is { } w && (w < 50 || scheme != CvScheme.WalkForward))
                throw new BadInputException(scheme != CvScheme.WalkForward ? "--rolling-window applies to --cv walkforward only." : $"--rolling-window {w} is too short: at least 50 observations.");
            if (settings.Folds < (scheme == CvScheme.WalkForward ? 1 : 2)) throw new BadInputException($"--folds {settings.Folds} is too small.");
            if (settings.Groups < 2 || settings.TestGroups < 1 || settings.TestGroups >= settings.Groups)
                throw new BadInputException($"--groups {settings.Groups} / --test-groups {settings.TestGroups}: need 1 <= k < N and N >= 2.");
            if (!(settings.Embargo >= 0 && settings.Embargo < 0.5)) throw new BadInputException($"--embargo {settings.Embargo} must lie in [0, 0.5).");
            var configurations = Grid(parse.GetValue(grid), parse.GetValue(shared.Model)!);
            var featureSelection = selectionFlags.Read(parse);
            var inputs = shared.Read(parse, stderr);
            var data = inputs.Supervised;
            var selections = new List<(string Configuration, int Fold, FeatureSelectionReport Report)>();
            var choices = configurations.Select(c => (Name: Name(c), Model: c["model"], Choices: Apply(inputs.Choices, c))).ToArray();
            var maxLookback = choices.Max(c => c.Model is "ridge" or "logistic" or "lightgbm" ? 1 : c.Choices.Deep.Lookback);
            var validation = new ForecastValidation(data, data.FirstCompleteRow() + maxLookback, inputs.CostBps);
            stderr.WriteLine($"validate: {configurations.Count} configuration(s), {validation.Observations.Length} observations, {scheme}");

            var results = new List<ConfigurationResult>();
            foreach (var (name, model, modelChoices) in choices)
                results.Add(validation.Run(name, () => FeatureSelectors.Wrap(SelectionFor(name), data, names => ForecasterCatalog.Create(model, data.Task, names, modelChoices), inputs.Fit.Seed,
                    r =>
                    {
                        selections.Add((name, selections.Count(s => s.Configuration == name), r));
                        stderr.WriteLine($"{name}: features ({r.Method}) {r.Names.Count}/{data.Features.Names.Count}: {string.Join(", ", r.Names)}");
                    }), settings, inputs.Fit, m => stderr.WriteLine(m)));
            var selection = ForecastValidation.Selection(results);

            // A grid's features=... axis overrides --features for its configurations, so PBO and DSR can span selection methods.
            FeatureSelection SelectionFor(string configuration) =>
                configurations.First(c => Name(c) == configuration).TryGetValue("features", out var method)
                    ? featureSelection with { Method = FeatureSelection.ParseMethod(method) }
                    : featureSelection;
            var (hold, persistence) = validation.Baselines(results[0].Rows);

            var target = parse.GetValue(outDir) ?? Path.Combine("out", $"validate-{inputs.Model}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            Directory.CreateDirectory(target);
            WriteFolds(Path.Combine(target, "folds.csv"), results);
            if (scheme == CvScheme.Cpcv) WritePaths(Path.Combine(target, "paths.csv"), results);
            WriteReturns(Path.Combine(target, "returns.csv"), results, hold, persistence, data);
            // Sharpe is shown annualised (x sqrt(bars per year)) as backtest shows it; PBO, SR0 and the deflated Sharpe work per bar.
            var annualise = Math.Sqrt(inputs.Timeframe.PeriodsPerYear);
            var summary = new JsonObject
            {
                ["model"] = string.Join(",", choices.Select(c => c.Model).Distinct()),
                ["cv"] = scheme.ToString().ToLowerInvariant(),
                ["folds"] = settings.Folds,
                ["groups"] = settings.Groups,
                ["test_groups"] = settings.TestGroups,
                ["embargo"] = settings.Embargo,
                ["rolling_window"] = settings.RollingWindow,
                ["symbol"] = inputs.Instrument.Symbol,
                ["timeframe"] = inputs.Timeframe.ToString(),
                ["label"] = inputs.Label.ToString(),
                ["cost_bps"] = inputs.CostBps,
                ["features"] = data.Features.Names.Count,
                ["observations"] = validation.Observations.Length,
                ["configurations"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject
                {
                    ["name"] = r.Name,
                    ["accuracy"] = Num(r.Overall.Accuracy),
                    ["auc"] = Num(r.Overall.Auc),
                    ["sharpe"] = Num(r.Overall.Sharpe * annualise),
                    ["sharpe_per_bar"] = Num(r.Overall.Sharpe),
                    ["total_log_return"] = Num(r.Overall.TotalLogReturn),
                    ["paths"] = r.Paths.Count,
                }).ToArray()),
                ["baselines"] = new JsonObject
                {
                    ["buy_and_hold_sharpe"] = Num(StrategyReturns.Sharpe(hold) * annualise),
                    ["buy_and_hold_sharpe_per_bar"] = Num(StrategyReturns.Sharpe(hold)),
                    ["buy_and_hold_total_log_return"] = Num(hold.Sum()),
                    ["persistence_sharpe"] = Num(StrategyReturns.Sharpe(persistence) * annualise),
                    ["persistence_sharpe_per_bar"] = Num(StrategyReturns.Sharpe(persistence)),
                    ["persistence_total_log_return"] = Num(persistence.Sum()),
                },
                ["best"] = results[selection.Best].Name,
                ["best_sharpe"] = Num(selection.BestSharpe * annualise),
                ["best_sharpe_per_bar"] = Num(selection.BestSharpe),
                ["trials"] = results.Count,
                ["trials_sharpe_variance"] = Num(selection.TrialsVariance),
                ["sr0_per_bar"] = Num(selection.Sr0),
                ["deflated_sharpe"] = Num(selection.Dsr),
                ["pbo"] = selection.Pbo is { } p ? Num(p.Pbo) : null,
                ["pbo_partitions"] = selection.Pbo?.Partitions,
                ["pbo_note"] = selection.PboNote,
            };
            summary["feature_selection"] = FeatureSelectionCli.Describe(featureSelection);
            if (selections.Count > 0)
            {
                FeatureSelectionCli.Write(Path.Combine(target, "selected_features.csv"), selections);
                summary["feature_selection"]!["selected_per_fold"] = new JsonArray(selections.Select(s => (JsonNode)new JsonObject
                {
                    ["configuration"] = s.Configuration, ["fold"] = s.Fold, ["count"] = s.Report.Names.Count,
                    ["features"] = new JsonArray(s.Report.Names.Select(n => (JsonNode)n).ToArray()),
                }).ToArray());
            }
            summary["provenance"] = RunProvenance.Build(AgentFirmSettings.Load(), parse.Tokens.Select(t => t.Value),
                inputs.DataReport.Select(d => (string)d!["file"]!), new Dictionary<string, long> { ["fit"] = inputs.Fit.Seed });
            File.WriteAllText(Path.Combine(target, "summary.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            foreach (var r in results)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name}: accuracy {r.Overall.Accuracy:F3}, AUC {r.Overall.Auc:F3}, Sharpe {r.Overall.Sharpe * annualise:F2} (per bar {r.Overall.Sharpe:F4}) after {inputs.CostBps} bp"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"buy-and-hold Sharpe {StrategyReturns.Sharpe(hold) * annualise:F2} (per bar {StrategyReturns.Sharpe(hold):F4}), persistence {StrategyReturns.Sharpe(persistence) * annualise:F2} (per bar {StrategyReturns.Sharpe(persistence):F4})"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best {results[selection.Best].Name}: deflated Sharpe {selection.Dsr:F3} over {results.Count} trial(s); PBO {(selection.Pbo is { } pb ? pb.Pbo.ToString("F3", CultureInfo.InvariantCulture) : selection.PboNote)}"));
            stdout.WriteLine($"written: {RunPaths.Relative(target)} (summary.json, folds.csv, returns.csv{(scheme == CvScheme.Cpcv ? ", paths.csv" : "")}{(selections.Count > 0 ? ", selected_features.csv" : "")})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static readonly HashSet<string> Keys = ["model", "trees", "leaves", "learning_rate", "penalty", "epochs", "hidden", "lookback", "dropout", "features"];

    /// <summary>The cartesian product of the --grid values; "model" defaults to --model.</summary>
    internal static List<Dictionary<string, string>> Grid(IEnumerable<string>? items, string model)
    {
        var axes = new List<(string Key, string[] Values)>();
        foreach (var item in items ?? [])
        foreach (var part in item.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1) throw new BadInputException($"--grid '{part}' is not key=v1,v2.");
            var key = part[..eq].Trim().ToLowerInvariant();
            if (!Keys.Contains(key)) throw new BadInputException($"--grid: unknown key '{key}'; use {string.Join(", ", Keys)}.");
            if (axes.Any(a => a.Key == key)) throw new BadInputException($"--grid: '{key}' is given twice.");
            var values = part[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var v in values)
                if (key == "features")
                {
                    if (v.ToLowerInvariant() is not ("all" or "causal" or "boruta")) throw new BadInputException($"--grid features: '{v}' is not all, causal or boruta.");
                }
                else if (key == "model" ? !ForecasterCatalog.Names.Contains(v.ToLowerInvariant()) : !double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !(x > 0))
                    throw new BadInputException($"--grid {key}: '{v}' is not {(key == "model" ? "a model name" : "a positive number")}.");
            axes.Add((key, values.Select(v => v.ToLowerInvariant()).ToArray()));
        }
        if (!axes.Any(a => a.Key == "model")) axes.Insert(0, ("model", [model.ToLowerInvariant()]));
        var configurations = new List<Dictionary<string, string>> { new() };
        foreach (var (key, values) in axes)
            configurations = configurations.SelectMany(c => values.Select(v => new Dictionary<string, string>(c) { [key] = v })).ToList();
        return configurations;
    }

    private static string Name(Dictionary<string, string> c) => string.Join(";", c.Select(kv => $"{kv.Key}={kv.Value}"));

    private static ForecasterChoices Apply(ForecasterChoices baseChoices, Dictionary<string, string> c)
    {
        double D(string k) => double.Parse(c[k], CultureInfo.InvariantCulture);
        var deep = baseChoices.Deep;
        var lgb = baseChoices.LightGbm;
        var penalty = baseChoices.RidgePenalty;
        if (c.ContainsKey("trees")) lgb = lgb with { Iterations = (int)D("trees") };
        if (c.ContainsKey("leaves")) lgb = lgb with { Leaves = (int)D("leaves") };
        if (c.ContainsKey("learning_rate")) { lgb = lgb with { LearningRate = D("learning_rate") }; deep = deep with { LearningRate = D("learning_rate") }; }
        if (c.ContainsKey("penalty")) penalty = D("penalty");
        if (c.ContainsKey("epochs")) deep = deep with { Epochs = (int)D("epochs") };
        if (c.ContainsKey("hidden")) deep = deep with { Hidden = (int)D("hidden") };
        if (c.ContainsKey("lookback")) deep = deep with { Lookback = (int)D("lookback") };
        if (c.ContainsKey("dropout")) deep = deep with { Dropout = D("dropout") };
        return baseChoices with { Deep = deep, LightGbm = lgb, RidgePenalty = penalty };
    }

    private static JsonNode? Num(double x) => double.IsFinite(x) ? Math.Round(x, 6) : null;

    private static string F(double x) => double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static void WriteFolds(string path, IEnumerable<ConfigurationResult> results)
    {
        var sb = new StringBuilder("configuration,fold,train_size,test_size,accuracy,auc,sharpe_per_bar,total_log_return\n");
        foreach (var r in results)
        foreach (var f in r.Folds)
            sb.Append($"\"{r.Name}\",{f.Fold},{f.TrainSize},{f.TestSize},{F(f.Scores.Accuracy)},{F(f.Scores.Auc)},{F(f.Scores.Sharpe)},{F(f.Scores.TotalLogReturn)}\n");
        File.WriteAllText(path, sb.ToString());
    }

    private static void WritePaths(string path, IEnumerable<ConfigurationResult> results)
    {
        var sb = new StringBuilder("configuration,path,observations,accuracy,auc,sharpe_per_bar,total_log_return\n");
        foreach (var r in results)
            for (var p = 0; p < r.Paths.Count; p++)
            {
                var s = r.Paths[p];
                sb.Append($"\"{r.Name}\",{p},{s.Count},{F(s.Accuracy)},{F(s.Auc)},{F(s.Sharpe)},{F(s.TotalLogReturn)}\n");
            }
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Every configuration's out-of-sample returns on the same rows (the PBO matrix) beside the baselines.</summary>
    private static void WriteReturns(string path, IReadOnlyList<ConfigurationResult> results, double[] hold, double[] persistence, SupervisedData data)
    {
        var sb = new StringBuilder("timestamp," + string.Join(",", results.Select(r => $"\"{r.Name}\"")) + ",buy_and_hold,persistence\n");
        var obs = results[0].Rows;
        for (var k = 0; k < obs.Length; k++)
        {
            sb.Append(data.Bars[obs[k]].Time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            foreach (var r in results) sb.Append(',').Append(F(r.Returns[k]));
            sb.Append(',').Append(F(hold[k])).Append(',').Append(F(persistence[k])).Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
    }
}
