using AgentFirm.Host.Cli;

namespace AgentFirm.Host.Tests;

/// <summary>Runs the real `agentfirm` command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AgentFirmCli.RunAsync(args, stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs with AgentFirm:* keys set as an environment variable would set them, for this run only.</summary>
    public static async Task<Outcome> RunWithSettingsAsync(IEnumerable<KeyValuePair<string, string?>> settings, params string[] args)
    {
        using var scope = AgentFirmSettings.Override(settings);
        return await RunAsync(args);
    }
}
