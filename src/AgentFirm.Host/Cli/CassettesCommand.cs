using System.CommandLine;
using AgentFirm.Core;
using AgentFirm.Llm;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm cassettes export --out FILE` and `agentfirm cassettes import --in FILE`: a run's recorded model calls
/// moved between machines as JSON lines (key, request, answer, tokens), so a backtest recorded on one machine
/// replays bit for bit on another with `--llm replay`, no endpoint or key there.
/// </summary>
public static class CassettesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("cassettes", "Export or import the recorded model calls (AgentFirm:Llm:CassettePath).");
        command.Subcommands.Add(Export(stdout));
        command.Subcommands.Add(Import(stdout));
        return command;
    }

    private static Option<string?> CassettesOption() => new("--cassettes") { Description = "The cassette file (default AgentFirm:Llm:CassettePath: cassettes/llm.db)" };

    private static string CassetteFile(ParseResult parse, Option<string?> option) =>
        Path.GetFullPath(parse.GetValue(option) ?? AgentFirmSettings.Load().Llm().CassettePath);

    private static Command Export(TextWriter stdout)
    {
        var cassettes = CassettesOption();
        var output = new Option<string>("--out") { Description = "JSON-lines file to write", Required = true };
        var force = OutputTarget.ForceOption();
        var command = new Command("export", "Write every recorded call as one JSON line, in key order.") { cassettes, output, force };
        command.SetAction(async (parse, ct) =>
        {
            var file = CassetteFile(parse, cassettes);
            var target = parse.GetValue(output)!;
            if (!File.Exists(file)) throw new BadInputException($"--cassettes '{file}' does not exist: record a run with --llm record first.");
            OutputTarget.File(target, parse.GetValue(force));
            var temporary = target + ".tmp";
            int count;
            await using (var writer = new StreamWriter(temporary))
                count = await new CassetteStore(file).ExportAsync(writer, ct);
            File.Move(temporary, target, overwrite: true);
            await stdout.WriteLineAsync($"cassettes: exported {count} call(s) from {RunPaths.Relative(file)} to {RunPaths.Relative(target)}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import(TextWriter stdout)
    {
        var cassettes = CassettesOption();
        var input = new Option<string>("--in") { Description = "JSON-lines file written by `cassettes export`", Required = true };
        var command = new Command("import", "Add the calls of an export; calls already held keep their recording, an edited line refuses the whole file.") { cassettes, input };
        command.SetAction(async (parse, ct) =>
        {
            var file = CassetteFile(parse, cassettes);
            var source = parse.GetValue(input)!;
            if (!File.Exists(source)) throw new BadInputException($"--in '{source}' does not exist.");
            (int Added, int Known) result;
            using (var reader = new StreamReader(source))
            {
                try
                {
                    result = await new CassetteStore(file).ImportAsync(reader, ct);
                }
                catch (InvalidDataException e)
                {
                    throw new BadInputException($"--in '{source}': {e.Message}; nothing was imported.");
                }
            }
            await stdout.WriteLineAsync($"cassettes: imported {result.Added} new call(s) into {RunPaths.Relative(file)}; {result.Known} already held");
            return ExitCodes.Success;
        });
        return command;
    }
}
