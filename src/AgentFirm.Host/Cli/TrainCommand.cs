using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.Models.Deep;
using AgentFirm.Models.Forecasting;
using AgentFirm.Models.Forecasting.Selection;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm train`: fits one forecaster on a window of bars and writes the model (model/), metrics.json
/// (fit time, samples, held-out validation accuracy/AUC and the Sharpe of trading the forecast's sign after
/// costs) and feature_importance.csv into --out.
/// </summary>
public static class TrainCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var shared = new ForecastCliOptions();
        var selectionFlags = new FeatureSelectionCli();
        var outDir = new Option<string?>("--out") { Description = "Output folder (default out/train-<model>-<time>)" };
        var command = new Command("train", "Train a forecaster (ridge/logistic, LightGBM, LSTM, GRU, DLinear, NLinear, PatchTST) on bars and save it.");
        foreach (var o in shared.All) command.Options.Add(o);
        foreach (var o in selectionFlags.All) command.Options.Add(o);
        command.Options.Add(outDir);
        var force = OutputTarget.ForceOption();
        command.Options.Add(force);
        command.SetAction(parse =>
        {
            var requested = parse.GetValue(outDir);
            if (requested is not null) OutputTarget.Folder(requested, parse.GetValue(force));
            var selection = selectionFlags.Read(parse);
            var inputs = shared.Read(parse, stderr);
            var data = inputs.Supervised;
            var model = FeatureSelectors.Wrap(selection, data, names => ForecasterCatalog.Create(inputs.Model, data.Task, names, inputs.Choices), inputs.Fit.Seed);
            var fitOptions = inputs.Fit with { Progress = ForecastCliOptions.ProgressLines(stderr, model.Kind) };
            var dataset = data.Dataset();
            stderr.WriteLine($"train {model.Kind}: {data.Count} bars of {inputs.Instrument.Symbol} {inputs.Timeframe}, {data.Features.Names.Count} features, label {inputs.Label}");
            var report = model.Fit(dataset, fitOptions);

            var (_, validation) = dataset.SplitForValidation(model.Lookback, inputs.Fit);
            var metrics = Evaluate(model, data, validation, inputs.CostBps, inputs.Timeframe.PeriodsPerYear);
            var target = parse.GetValue(outDir) ?? Path.Combine("out", $"train-{model.Kind}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            Directory.CreateDirectory(target);
            model.Save(Path.Combine(target, "model"));
            var importance = model.FeatureImportance();
            var csv = new StringBuilder("feature,importance\n");
            foreach (var fi in importance) csv.Append(CultureInfo.InvariantCulture, $"{fi.Feature},{fi.Importance:R}\n");
            File.WriteAllText(Path.Combine(target, "feature_importance.csv"), csv.ToString());

            var json = new JsonObject
            {
                ["model"] = model.Kind,
                ["task"] = data.Task.ToString().ToLowerInvariant(),
                ["symbol"] = inputs.Instrument.Symbol,
                ["timeframe"] = inputs.Timeframe.ToString(),
                ["label"] = inputs.Label.ToString(),
                ["features"] = data.Features.Names.Count,
                ["lookback"] = model.Lookback,
                ["seed"] = inputs.Fit.Seed,
                ["first_bar"] = inputs.Bars[0].Time,
                ["last_bar"] = inputs.Bars[^1].Time,
                ["train_samples"] = report.TrainSamples,
                ["validation_samples"] = report.ValidationSamples,
                ["epochs"] = report.Epochs,
                ["fit_seconds"] = Math.Round(report.Elapsed.TotalSeconds, 3),
                ["validation_loss"] = Finite(report.ValidationLoss),
                ["validation"] = metrics,
                ["feature_importance"] = importance.Count > 0 ? "feature_importance.csv" : "not available for this model (header only)",
                ["data"] = inputs.DataReport,
            };
            if (model is SelectedFeaturesForecaster selected && selected.Selection is { } chosen)
            {
                var described = FeatureSelectionCli.Describe(selection);
                described["selected"] = new JsonArray(chosen.Names.Select(n => (JsonNode)n).ToArray());
                described["note"] = chosen.Note;
                described["decisions"] = "selected_features.csv";
                json["feature_selection"] = described;
                FeatureSelectionCli.Write(Path.Combine(target, "selected_features.csv"), [("train", 0, chosen)]);
                stderr.WriteLine($"features ({chosen.Method}): {chosen.Names.Count} of {data.Features.Names.Count} selected: {string.Join(", ", chosen.Names)}");
            }
            json["provenance"] = RunProvenance.Build(AgentFirmSettings.Load(), parse.Tokens.Select(t => t.Value),
                inputs.DataReport.Select(d => (string)d!["file"]!), new Dictionary<string, long> { ["fit"] = inputs.Fit.Seed });
            File.WriteAllText(Path.Combine(target, "metrics.json"), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            stdout.WriteLine($"{model.Kind}: fitted in {report.Elapsed.TotalSeconds:F2} s on {report.TrainSamples} samples; validation ({report.ValidationSamples}): {Summary(metrics)}");
            stdout.WriteLine($"saved: {RunPaths.Relative(target)} (model/, metrics.json, feature_importance.csv)");
            (model as IDisposable)?.Dispose();
            return ExitCodes.Success;
        });
        return command;
    }

    private static JsonNode? Finite(double x) => double.IsFinite(x) ? Math.Round(x, 6) : null;

    private static string Summary(JsonObject m) =>
        string.Join(", ", m.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString() ?? "null"}"));

    /// <summary>Out-of-sample scores on the held-out validation tail (the last, purged part of the window).</summary>
    /// <param name="periodsPerYear">Bars per year: the Sharpe shown is annualised like backtest's, the per-bar one is named as such.</param>
    internal static JsonObject Evaluate(IForecaster model, SupervisedData data, int[] rows, double costBps, double periodsPerYear)
    {
        var result = new JsonObject();
        if (rows.Length < 3) return result;
        var forecasts = model.PredictBatch(data.Features.Rows, rows);
        var scores = forecasts.Select(f => f.Value).ToArray();
        var labels = rows.Select(t => data.Labels.Values[t]).ToArray();
        if (model.Task == ForecastTask.Classification)
        {
            result["accuracy"] = Finite(ForecastMetrics.Accuracy(scores, labels));
            result["auc"] = Finite(ForecastMetrics.Auc(scores, labels));
        }
        else
        {
            result["direction_accuracy"] = Finite(ForecastMetrics.Accuracy(scores, labels.Select(y => y > 0 ? 1.0 : 0.0).ToArray(), 0));
            result["rmse"] = Finite(Math.Sqrt(scores.Zip(labels, (s, y) => (s - y) * (s - y)).Average()));
        }
        var positions = forecasts.Select(f => StrategyReturns.Position(f, model.Task)).ToArray();
        var next = rows.Select(t => double.IsFinite(data.NextReturns[t]) ? data.NextReturns[t] : 0).ToArray();
        var returns = StrategyReturns.FromPositions(positions, next, costBps);
        var sharpe = StrategyReturns.Sharpe(returns);
        result["strategy_sharpe"] = Finite(sharpe * Math.Sqrt(periodsPerYear));
        result["strategy_sharpe_per_bar"] = Finite(sharpe);
        result["strategy_total_log_return"] = Finite(returns.Sum());
        result["buy_and_hold_total_log_return"] = Finite(next.Sum());
        return result;
    }
}
