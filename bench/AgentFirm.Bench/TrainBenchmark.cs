using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Models.Deep;
using AgentFirm.Models.Forecasting;
using AgentFirm.Quant.Labels;

namespace AgentFirm.Bench;

/// <summary>
/// `train`: seconds to fit each forecaster once on the last 5 years of hourly BTC-USDT (43,800 bars) with 140
/// features (the 20 scale-free core columns and their lags 1, 2, 3, 5, 8, 12; the Alpha158-style set is not
/// merged yet), label direction:24, 20% purged validation tail for early stopping; then inference latency per
/// decision step (one Predict on the newest row, median of 300). Deep models: lookback 32, hidden/d_model 32,
/// at most 8 epochs with patience 2, batch 256, one thread (deterministic; OpenMP spinning on a loaded 2-core machine costs more than it gains). AGENTFIRM_BENCH_MODELS=ridge,lightgbm,... picks a subset.
/// </summary>
internal static class TrainBenchmark
{
    private const int Bars = 5 * 365 * 24;
    private static readonly int[] Lags = [1, 2, 3, 5, 8, 12];

    public static JsonObject Run()
    {
        var (bars, source) = Load();
        var prep = Stopwatch.StartNew();
        var data = SupervisedData.Build(bars, LabelSpec.Parse("direction:24"), Lags);
        var prepSeconds = prep.Elapsed.TotalSeconds;
        var dataset = data.Dataset();
        var models = (Environment.GetEnvironmentVariable("AGENTFIRM_BENCH_MODELS") ?? "ridge,lightgbm,lstm,gru,dlinear,nlinear,patchtst")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var choices = new ForecasterChoices
        {
            Deep = new DeepSettings { Lookback = 32, Hidden = 32, Epochs = 8, Patience = 2, BatchSize = 256, Threads = 1, Device = DeviceChoice.Cpu },
        };
        var result = new JsonObject
        {
            ["bench"] = "train",
            ["data"] = source,
            ["bars"] = bars.Count,
            ["features"] = data.Features.Names.Count,
            ["feature_set"] = "core (20 scale-free columns) + lags 1,2,3,5,8,12",
            ["label"] = "direction:24",
            ["prepare_s"] = Math.Round(prepSeconds, 3),
            ["goal_lightgbm_fit_s"] = 10,
            ["goal_deep_fit_s"] = 180,
            ["goal_lightgbm_predict_ms"] = 1,
            ["goal_deep_predict_ms"] = 5,
        };
        var newest = bars.Count - 1;
        foreach (var name in models)
        {
            var model = ForecasterCatalog.Create(name, ForecastTask.Classification, data.Features.Names, choices);
            var fit = model.Fit(dataset, new FitOptions { PurgeGap = 24, Seed = 42 });
            var key = name == "ridge" ? "logistic" : name;
            result[$"{key}_fit_s"] = Math.Round(fit.Elapsed.TotalSeconds, 3);
            result[$"{key}_epochs"] = fit.Epochs;
            result[$"{key}_train_samples"] = fit.TrainSamples;
            var (_, validation) = dataset.SplitForValidation(model.Lookback, new FitOptions { PurgeGap = 24 });
            var scores = model.PredictBatch(data.Features.Rows, validation).Select(f => f.Value).ToArray();
            result[$"{key}_validation_auc"] = Math.Round(ForecastMetrics.Auc(scores, validation.Select(t => data.Labels.Values[t]).ToArray()), 4);
            result[$"{key}_predict_ms"] = Math.Round(PredictLatencyMs(model, data.Features.Rows, newest), 4);
            (model as IDisposable)?.Dispose();
            Console.Error.WriteLine($"train bench: {name} done ({fit.Elapsed.TotalSeconds:F1} s)");
        }
        if (models.Contains("lightgbm")) AllSetLightGbm(bars, result);
        return result;
    }

    /// <summary>LightGBM once more on the core columns plus the z-scored 184-column `all` set (204 features, no lags).</summary>
    private static void AllSetLightGbm(IReadOnlyList<Bar> bars, JsonObject result)
    {
        var prep = Stopwatch.StartNew();
        var data = SupervisedData.Build(bars, LabelSpec.Parse("direction:24"), allFeatureSet: true);
        result["all_set_features"] = data.Features.Names.Count;
        result["all_set_prepare_s"] = Math.Round(prep.Elapsed.TotalSeconds, 3);
        var model = ForecasterCatalog.Create("lightgbm", ForecastTask.Classification, data.Features.Names);
        var fit = model.Fit(data.Dataset(), new FitOptions { PurgeGap = 24, Seed = 42 });
        result["all_set_lightgbm_fit_s"] = Math.Round(fit.Elapsed.TotalSeconds, 3);
        result["all_set_lightgbm_predict_ms"] = Math.Round(PredictLatencyMs(model, data.Features.Rows, bars.Count - 1), 4);
        Console.Error.WriteLine($"train bench: lightgbm on the all set done ({fit.Elapsed.TotalSeconds:F1} s)");
    }

    private static double PredictLatencyMs(IForecaster model, IReadOnlyList<double[]> rows, int row)
    {
        for (var i = 0; i < 20; i++) model.Predict(rows, row);
        var times = new double[300];
        for (var i = 0; i < times.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            model.Predict(rows, row - (i % 10));
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[times.Length / 2];
    }

    private static (IReadOnlyList<Bar> Bars, string Source) Load()
    {
        var (market, source) = BenchData.HourlyBtcEth();
        var btc = market[0].Bars;
        var take = Math.Min(Bars, btc.Count);
        return (btc.Skip(btc.Count - take).ToArray(), $"{source}: BTC-USDT last {take} bars");
    }
}
