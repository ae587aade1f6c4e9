using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>
/// Mind=Local on the command line (issue 12): a model file that is missing or not a GGUF is exit 2 with one line
/// naming the key and the resolved path, before any market data is read.
/// </summary>
public sealed class LocalMindCliTests
{
    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("garbage", "GGUF magic")]
    [InlineData("truncated", "truncated")]
    public async Task A_missing_or_corrupt_model_file_is_exit_2_naming_the_path_before_the_data_load(string kind, string problem)
    {
        using var folder = new TempFolder();
        var model = folder.File($"{kind}.gguf");
        if (kind == "garbage") File.WriteAllText(model, "not a model");
        if (kind == "truncated") File.WriteAllBytes(model, [.. "GGUF"u8, 3, 0, 0, 0, 9]);

        var run = await CliRunner.RunWithSettingsAsync(
            [new("AgentFirm:Llm:Mind", "Local"), new("AgentFirm:Minds:Local:ModelPath", model)],
            "backtest", "--data", folder.File("missing.csv"), "--strategy", "firm", "--out", folder.File("report"));

        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}; stderr: {run.Stderr}");
        var line = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains("AgentFirm:Minds:Local:ModelPath", line);
        Assert.Contains(model, line);
        Assert.Contains(problem, line);
        Assert.DoesNotContain("missing.csv", run.Stderr); // refused before the data load
    }
}
