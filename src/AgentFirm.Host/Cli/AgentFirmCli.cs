using System.CommandLine;
using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>
/// The `agentfirm` command line. Each verb lives in its own class with a static Create(); this class wires
/// them together and maps failures to exit codes: 2 for input the user must fix, 1 for anything else.
/// </summary>
public static class AgentFirmCli
{
    /// <summary>Global: print the stack trace of an unexpected failure (without it every failure is one line).</summary>
    private const string VerboseFlag = "--verbose";

    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("AgentFirm: a crypto trading firm of cooperating agents: simulate, download, backtest, evaluate.");
        foreach (var command in Verbs(stdout, stderr)) root.Subcommands.Add(command);
        LiveCommand.Attach(root, stdout, stderr);
        // one instance per root: an option keeps a list of its parents, and tests build roots in parallel
        root.Options.Add(new Option<bool>(VerboseFlag) { Description = "Show the full stack trace when a command fails unexpectedly.", Recursive = true });
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
        yield return RerunCommand.Create(stdout, stderr);
        yield return ExecutionCommand.Create(stdout, stderr);
        yield return SiloCommand.Create(stdout, stderr);
        yield return UsersCommand.Create(stdout, stderr);
        yield return CassettesCommand.Create(stdout, stderr);
        yield return PromptsCommand.Create(stdout, stderr);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await stderr.WriteLineAsync($"error: {ParseErrors.Describe(parse)}");
            return ExitCodes.BadInput;
        }
        var verbose = parse.GetValue<bool>(VerboseFlag);
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            await stderr.WriteLineAsync("cancelled");
            if (verbose) await stderr.WriteLineAsync(ex.ToString());
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            var failure = Unwrap(ex);
            var code = ExitCodeOf(failure);
            var hint = code == ExitCodes.Failure && !verbose ? " (run again with --verbose for the stack trace)" : "";
            await stderr.WriteLineAsync($"error: {OneLine(failure)}{hint}");
            if (verbose) await stderr.WriteLineAsync(failure.ToString());
            return code;
        }
    }

    /// <summary>
    /// 2 for what the user can fix by changing the command line, the configuration or a file they named (bad values,
    /// missing or unreadable files, no permission); 1 for anything else, including other I/O failures such as a full disk.
    /// </summary>
    public static int ExitCodeOf(Exception failure) => failure switch
    {
        BadInputException or FormatException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
            or PathTooLongException or InvalidDataException => ExitCodes.BadInput,
        _ => ExitCodes.Failure,
    };

    /// <summary>A failure as one line: messages that span lines (inner details, hints) are joined.</summary>
    private static string OneLine(Exception failure)
    {
        var message = failure is BadInputException ? failure.Message : $"{failure.Message}{(failure is IOException or UnauthorizedAccessException ? "" : $" ({failure.GetType().Name})")}";
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } agg ? Unwrap(agg.InnerExceptions[0]) : ex;
}
