using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

public sealed class FeatureSelectionCommandTests
{
    [Theory]
    [InlineData("--features", "lasso")]
    [InlineData("--boruta-runs", "0")]
    [InlineData("--causal-alpha", "1.5")]
    [InlineData("--causal-candidates", "0")]
    [InlineData("--causal-tau-max", "0")]
    public async Task Train_rejects_bad_selection_flags_with_exit_code_2(string flag, string value)
    {
        using var folder = new TempFolder();
        var data = ForecastCommandTests.WriteWalk(folder, 300);
        var run = await CliRunner.RunAsync("train", "--model", "ridge", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--features", "causal", flag, value, "--out", folder.File("out"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error", run.Stderr);
    }

    [Theory]
    [InlineData("causal")]
    [InlineData("boruta")]
    public async Task Train_with_selection_reports_the_selected_features(string method)
    {
        using var folder = new TempFolder();
        var data = ForecastCommandTests.WriteWalk(folder, 400);
        var outDir = folder.File("out");
        var run = await CliRunner.RunAsync("train", "--model", "lightgbm", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:5", "--trees", "30", "--features", method, "--boruta-runs", "5", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        var selection = metrics["feature_selection"]!;
        Assert.Equal(method, (string)selection["method"]!);
        var selected = selection["selected"]!.AsArray().Select(n => (string)n!).ToArray();
        Assert.NotEmpty(selected);
        var csv = File.ReadAllLines(Path.Combine(outDir, "selected_features.csv"));
        Assert.Equal("configuration,fold,train_samples,feature,selected,status,statistic,p_value,detail", csv[0]);
        Assert.Equal(1 + (int)metrics["features"]!, csv.Length);
        Assert.Equal(selected, csv.Skip(1).Select(l => l.Split(',')).Where(f => f[4] == "1").Select(f => f[3]));
        // the saved model was trained on the selected columns only
        var forecaster = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "model", "forecaster.json")))!;
        Assert.Equal(selected, forecaster["feature_names"]!.AsArray().Select(n => (string)n!));
    }

    [Fact]
    public async Task Validate_selects_on_every_walk_forward_fold()
    {
        using var folder = new TempFolder();
        var data = ForecastCommandTests.WriteWalk(folder, 400);
        var outDir = folder.File("out");
        var run = await CliRunner.RunAsync("validate", "--model", "ridge", "--data", data, "--symbols", "BTC-USDT", "--timeframe", "1d",
            "--label", "direction:1", "--cv", "walkforward", "--folds", "3", "--features", "causal", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")))!;
        Assert.Equal("causal", (string)summary["feature_selection"]!["method"]!);
        var perFold = summary["feature_selection"]!["selected_per_fold"]!.AsArray();
        Assert.Equal([0, 1, 2], perFold.Select(f => (int)f!["fold"]!));
        // expanding windows: each fold selects on more training samples than the one before
        var csv = File.ReadAllLines(Path.Combine(outDir, "selected_features.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var samples = csv.GroupBy(f => int.Parse(f[1])).OrderBy(g => g.Key).Select(g => int.Parse(g.First()[2])).ToArray();
        Assert.Equal(3, samples.Length);
        Assert.True(samples[0] < samples[1] && samples[1] < samples[2], string.Join(",", samples));
    }
}
