using System.CommandLine;
using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>
/// The `agentfirm` command line. Each verb lives in its own class with a static Create(); this class wires
/// them together and maps failures to exit codes: 2 for input the user must fix, 1 for anything else.
/// </summary>
public static class AgentFirmCli
{
    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("AgentFirm: a crypto trading firm of cooperating agents: simulate, download, backtest, evaluate.");
        foreach (var command in Verbs(stdout, stderr)) root.Subcommands.Add(command);
        LiveCommand.Attach(root, stdout, stderr);
        return root;
    }

    private static IEnumerable<Command> Verbs(TextWriter stdout, TextWriter stderr)
    {
        yield return BacktestCommand.Create(stdout, stderr);
        yield return EvaluateCommand.Create(stdout, stderr);
        yield return StatsCommand.Create(stdout, stderr);
        yield return FeaturesCommand.Create(stdout, stderr);
        yield return DownloadCommand.Create(stdout, stderr);
        yield return SimulateCommand.Create(stdout, stderr);
        yield return CausalCommand.Create(stdout, stderr);
        yield return CausalPanelCommand.Create(stdout, stderr);
        yield return TrainCommand.Create(stdout, stderr);
        yield return ValidateCommand.Create(stdout, stderr);
        yield return SentimentCommand.Create(stdout, stderr);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            return ExitCodes.BadInput;
        }
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception ex) when (Unwrap(ex) is BadInputException or FormatException or FileNotFoundException or DirectoryNotFoundException)
        {
            await stderr.WriteLineAsync($"error: {Unwrap(ex).Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"error: {Unwrap(ex).Message}");
            await stderr.WriteLineAsync(Unwrap(ex).ToString());
            return ExitCodes.Failure;
        }
    }

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } agg ? Unwrap(agg.InnerExceptions[0]) : ex;
}
