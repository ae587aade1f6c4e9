using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

public sealed class ForecastCommandTests
{
    /// <summary>A seeded random walk of daily bars in DIR/1d/BTC-USDT.csv.</summary>
    internal static string WriteWalk(TempFolder folder, int days, int seed = 1)
    {
        var path = folder.File("data/1d/BTC-USDT.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var rng = new Random(seed);
        var t0 = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var lines = new List<string> { "timestamp,open,high,low,close,volume" };
        var close = 100.0;
        for (var i = 0; i < days; i++)
        {
            var open = close;
            close = open * Math.Exp(0.02 * (rng.NextDouble() - 0.5));
            var high = Math.Max(open, close) * 1.003;
            var low = Math.Min(open, close) * 0.997;
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{open:F4},{high:F4},{low:F4},{close:F4},{1000 + rng.Next(500)}"));
        }
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return folder.File("data");
    }

    [Theory]
    [InlineData("--model", "xgboost")]
    [InlineData("--label", "direction:0")]
    [InlineData("--label", "momentum:5")]
    [InlineData("--lags", "1,x")]
    [InlineData("--weights", "heavy")]
    [InlineData("--device", "tpu")]
    [InlineData("--feature-set", "alpha360")]
    [InlineData("--zscore-window", "1")]
    public async Task Train_rejects_bad_input_with_exit_code_2(string flag, string value)
    {
        using var folder = new TempFolder();
        var data = WriteWalk(folder, 300);
        var args = new Dictionary<string, string> { ["--model"] = "ridge", ["--data"] = data, ["--symbols"] = "BTC-USDT", ["--timeframe"] = "1d", ["--label"] = "direction:5", ["--out"] = folder.File("out") };
        args[flag] = value;
        var run = await CliRunner.RunAsync(["train", .. args.SelectMany(kv => new[] { kv.Key, kv.Value })]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.Stderr);
    }

    [Fact]
    public async Task Train_on_the_all_feature_set_uses_the_z_scored_184_columns_beside_the_core_ones()
    {
        using var folder = new TempFolder();
        var data = WriteWalk(folder, 500);
        var outDir = folder.File("out");
        var run = await CliRunner.RunAsync("train", "--model", "lightgbm", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--feature-set", "all", "--zscore-window", "60", "--trees", "30", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        Assert.Equal(204, (int)metrics["features"]!);
        Assert.Contains(File.ReadAllLines(Path.Combine(outDir, "feature_importance.csv")), line => line.StartsWith("z_ROC5,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Train_rejects_a_missing_data_folder_and_too_short_a_window()
    {
        using var folder = new TempFolder();
        var missing = await CliRunner.RunAsync("train", "--model", "ridge", "--data", folder.File("nowhere"), "--symbols", "BTC-USDT", "--timeframe", "1d");
        Assert.Equal(2, missing.ExitCode);
        var data = WriteWalk(folder, 80);
        var tooShort = await CliRunner.RunAsync("train", "--model", "ridge", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d", "--label", "direction:5");
        Assert.Equal(2, tooShort.ExitCode);
        Assert.Contains("at least 100", tooShort.Stderr);
    }

    [Theory]
    [InlineData("ridge", "direction:5")]
    [InlineData("lightgbm", "return:5")]
    [InlineData("dlinear", "triple-barrier:5:1")]
    public async Task Train_writes_the_model_metrics_and_importance(string model, string label)
    {
        using var folder = new TempFolder();
        var data = WriteWalk(folder, 400);
        var outDir = folder.File("out");
        var run = await CliRunner.RunAsync("train", "--model", model, "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", label, "--lags", "1,2", "--epochs", "2", "--lookback", "16", "--trees", "30", "--device", "cpu", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Contains("epoch", run.Stderr);
        Assert.True(File.Exists(Path.Combine(outDir, "model", "forecaster.json")));
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        Assert.Equal(label, (string)metrics["label"]!);
        Assert.Equal(60, (int)metrics["features"]!); // 20 base columns and two lags of each
        Assert.True((int)metrics["train_samples"]! > 100);
        Assert.NotNull(metrics["validation"]!["strategy_sharpe_per_bar"]);
        // the Sharpe shown is annualised as backtest annualises it (daily bars: sqrt 365); the per-bar one is named
        Assert.Equal((double)metrics["validation"]!["strategy_sharpe_per_bar"]! * Math.Sqrt(365), (double)metrics["validation"]!["strategy_sharpe"]!, 4);
        Assert.Contains("strategy_sharpe=", run.Stdout);
        Assert.Equal("train", (string?)metrics["provenance"]!["command_line"]![0]);
        Assert.NotNull(metrics["provenance"]!["seeds"]!["fit"]);
        Assert.Equal(64, ((string)metrics["provenance"]!["data_files"]![0]!["sha256"]!).Length);
        var importance = File.ReadAllLines(Path.Combine(outDir, "feature_importance.csv"));
        Assert.Equal("feature,importance", importance[0]);
        if (model != "dlinear") Assert.Equal(61, importance.Length);
    }

    [Theory]
    [InlineData("--cv", "bootstrap")]
    [InlineData("--grid", "colour=red")]
    [InlineData("--grid", "trees=0")]
    [InlineData("--test-groups", "6")]
    [InlineData("--embargo", "0.7")]
    [InlineData("--rolling-window", "100")] // cpcv has no rolling window
    [InlineData("--grid", "features=pca")]
    public async Task Validate_rejects_bad_input_with_exit_code_2(string flag, string value)
    {
        using var folder = new TempFolder();
        var data = WriteWalk(folder, 300);
        var run = await CliRunner.RunAsync("validate", "--model", "ridge", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--cv", "cpcv", "--groups", "6", flag, value, "--out", folder.File("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.Stderr);
    }

    [Fact]
    public async Task Validate_cpcv_writes_folds_paths_returns_pbo_and_deflated_sharpe()
    {
        using var folder = new TempFolder();
        var data = WriteWalk(folder, 400);
        var outDir = folder.File("out");
        var run = await CliRunner.RunAsync("validate", "--model", "ridge", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--cv", "cpcv", "--groups", "4", "--test-groups", "2", "--grid", "model=ridge,lightgbm", "--trees", "20", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(2, (int)summary["trials"]!);
        Assert.Equal("validate", (string?)summary["provenance"]!["command_line"]![0]);
        var first = summary["configurations"]![0]!;
        Assert.Equal((double)first["sharpe_per_bar"]! * Math.Sqrt(365), (double)first["sharpe"]!, 4);
        Assert.Equal((double)summary["best_sharpe_per_bar"]! * Math.Sqrt(365), (double)summary["best_sharpe"]!, 4);
        Assert.DoesNotContain("Sharpe/bar", run.Stdout);
        Assert.Contains("(per bar ", run.Stdout);
        Assert.NotNull(summary["provenance"]!["configuration"]!["AgentFirm:Market:GapPolicy"]);
        Assert.InRange((double)summary["pbo"]!, 0, 1);
        Assert.InRange((double)summary["deflated_sharpe"]!, 0, 1);
        Assert.Equal(2, summary["configurations"]!.AsArray().Count);
        // C(4,2) = 6 splits per configuration; phi = C(3,1) = 3 paths per configuration.
        Assert.Equal(1 + 2 * 6, File.ReadAllLines(Path.Combine(outDir, "folds.csv")).Length);
        Assert.Equal(1 + 2 * 3, File.ReadAllLines(Path.Combine(outDir, "paths.csv")).Length);
        var returns = File.ReadAllLines(Path.Combine(outDir, "returns.csv"));
        Assert.Equal((int)summary["observations"]! + 1, returns.Length);
        Assert.EndsWith("buy_and_hold,persistence", returns[0]);
    }

    [Fact]
    public async Task Validate_walkforward_with_one_configuration_explains_the_missing_pbo()
    {
        using var folder = new TempFolder();
        var data = WriteWalk(folder, 300);
        var outDir = folder.File("out");
        var run = await CliRunner.RunAsync("validate", "--model", "ridge", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--cv", "walkforward", "--folds", "3", "--rolling-window", "60", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(60, (int)summary["rolling_window"]!);
        Assert.Null(summary["pbo"]);
        Assert.Contains("at least 2", (string)summary["pbo_note"]!);
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(outDir, "folds.csv")).Length);
    }

    [Fact]
    public async Task Validate_can_grid_over_feature_selection_so_pbo_spans_the_methods()
    {
        using var folder = new TempFolder();
        var data = WriteWalk(folder, 400);
        var outDir = folder.File("out");
        var run = await CliRunner.RunAsync("validate", "--model", "lightgbm", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--lags", "1", "--cv", "walkforward", "--folds", "3", "--trees", "20", "--grid", "features=all,causal", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal(2, (int)summary["trials"]!);
        Assert.InRange((double)summary["pbo"]!, 0, 1);
        var selected = File.ReadAllLines(Path.Combine(outDir, "selected_features.csv")).Skip(1).ToArray();
        // Only the causal configuration selects: three folds of 40 candidate decisions each.
        Assert.Equal(3 * 40, selected.Length);
        Assert.All(selected, line => Assert.StartsWith("\"model=lightgbm;features=causal\",", line));
    }
}
