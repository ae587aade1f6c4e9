using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm rerun REPORT`: repeats a run from the provenance its report recorded (the command line, and every
/// AgentFirm:* value it saw, secrets excepted) into a new folder, and says whether the result is identical bit for bit:
/// equity.csv for a backtest; returns.csv, evaluate.csv and every firm variant's decision journal for an evaluation;
/// returns.csv for a validation. Exit 0 when identical, 1 when not.
/// </summary>
public static class RerunCommand
{
    /// <summary>The report file each verb writes, and the result files (patterns inside the folder) that must match byte for byte.</summary>
    private static readonly Dictionary<string, (string Report, string[] Results)> Verbs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["backtest"] = ("report.json", ["equity.csv"]),
        ["evaluate"] = ("evaluate.json", ["returns.csv", "evaluate.csv", "decisions/*.csv"]),
        ["validate"] = ("summary.json", ["returns.csv"]),
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var report = new Argument<string>("REPORT") { Description = "A backtest, evaluate or validate report folder (or its report.json / evaluate.json / summary.json)." };
        var output = new Option<string?>("--out") { Description = "Folder for the repeated run (default: the report folder's name + .rerun beside it)." };
        var force = OutputTarget.ForceOption();
        var command = new Command("rerun", "Repeat a backtest, evaluate or validate run from its report's provenance and say whether the result is identical.") { report, output, force };
        command.SetAction(async (parse, ct) =>
        {
            var (folder, provenance, verb) = Read(parse.GetValue(report)!);
            var target = parse.GetValue(output) ?? Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + ".rerun";
            OutputTarget.Folder(target, parse.GetValue(force));

            var args = Arguments(provenance, target);
            var settings = Settings(provenance);
            foreach (var warning in Differences(provenance)) await stderr.WriteLineAsync($"warning: {warning}");
            await stderr.WriteLineAsync($"rerun: agentfirm {string.Join(' ', args)}");
            int code;
            using (AgentFirmSettings.Override(settings))
                code = await AgentFirmCli.RunAsync(args, stdout, stderr, ct);
            if (code != ExitCodes.Success)
            {
                await stderr.WriteLineAsync($"error: the repeated {verb} failed (exit {code}); see above.");
                return code;
            }

            var allIdentical = true;
            foreach (var file in ResultFiles(verb, folder))
            {
                var (identical, detail) = Compare(Path.Combine(folder, file), Path.Combine(target, file));
                allIdentical &= identical;
                await stdout.WriteLineAsync(identical
                    ? $"identical: {file} of the rerun matches {Path.Combine(folder, file)} bit for bit ({detail})."
                    : $"different: {file} of the rerun differs from {Path.Combine(folder, file)}: {detail}.");
            }
            return allIdentical ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static (string Folder, JsonObject Provenance, string Verb) Read(string path)
    {
        var folder = Directory.Exists(path) ? path : File.Exists(path) ? Path.GetDirectoryName(Path.GetFullPath(path))! : throw new BadInputException($"REPORT '{path}' is neither a report folder nor a report file.");
        var file = Directory.Exists(path)
            ? Verbs.Values.Select(v => Path.Combine(path, v.Report)).FirstOrDefault(File.Exists) ?? throw new BadInputException($"REPORT '{path}' holds no report.json, evaluate.json or summary.json.")
            : path;
        JsonNode? json;
        try { json = JsonNode.Parse(File.ReadAllText(file)); }
        catch (JsonException ex) { throw new BadInputException($"{file}: not JSON ({ex.Message})."); }
        if (json?["provenance"] is not JsonObject provenance)
            throw new BadInputException($"{file} has no provenance (written before reports recorded it); it cannot be repeated.");
        var verb = provenance["command_line"]?.AsArray().FirstOrDefault()?.GetValue<string>() ?? "";
        if (!Verbs.ContainsKey(verb)) throw new BadInputException($"{file}: rerun repeats backtest, evaluate and validate runs, not '{verb}'.");
        return (folder, provenance, verb);
    }

    /// <summary>The recorded command line with --out pointed at the new folder (and no --force or --verbose carried over).</summary>
    private static string[] Arguments(JsonObject provenance, string target)
    {
        var recorded = provenance["command_line"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        var args = new List<string>();
        for (var i = 0; i < recorded.Count; i++)
        {
            if (recorded[i] == "--out") { i++; continue; }
            if (recorded[i] is "--force" or "--verbose") continue;
            args.Add(recorded[i]);
        }
        return [.. args, "--out", target];
    }

    /// <summary>Every recorded AgentFirm:* value except those with a redacted secret in them, which the environment must supply again.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> Settings(JsonObject provenance) =>
        (provenance["configuration"] as JsonObject ?? [])
            .Where(kv => kv.Value?.GetValue<string>().Contains(RunProvenance.Redacted, StringComparison.Ordinal) != true)
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.GetValue<string>()))
            .ToList();

    /// <summary>What can make the rerun differ before it starts: other code, changed input files.</summary>
    private static IEnumerable<string> Differences(JsonObject provenance)
    {
        var recorded = provenance["code"];
        var now = RunProvenance.CodeVersion();
        if ((string?)recorded?["commit"] != (string?)now["commit"])
            yield return $"the report was written by commit {(string?)recorded?["commit"]}, this is {(string?)now["commit"]}.";
        else if ((bool?)recorded?["dirty"] == true || (bool?)now["dirty"] == true)
            yield return "the source tree had uncommitted changes then or has them now: the code may differ.";
        var here = RunPaths.WorkingDirectoryInSourceTree(RunProvenance.SourceRoot());
        if ((string?)provenance["working_directory"] is { } then && then != here)
            yield return $"the run was started in {then} of the source tree, this one in {here ?? "a folder outside it"}; relative paths in its command line now resolve differently.";
        foreach (var entry in provenance["data_files"]?.AsArray() ?? [])
        {
            var file = (string)entry!["file"]!;
            if (!File.Exists(file)) yield return $"{file} is gone.";
            else if (RunProvenance.Sha256(file) != (string?)entry["sha256"]) yield return $"{file} has changed since the report (SHA-256 differs).";
        }
    }

    /// <summary>The verb's result files, relative to the report folder; a pattern's matches are read from the original folder.</summary>
    private static IEnumerable<string> ResultFiles(string verb, string folder)
    {
        foreach (var entry in Verbs[verb].Results)
        {
            if (!entry.Contains('*')) { yield return entry; continue; }
            var dir = Path.GetDirectoryName(entry)!;
            if (!Directory.Exists(Path.Combine(folder, dir))) continue;
            foreach (var f in Directory.EnumerateFiles(Path.Combine(folder, dir), Path.GetFileName(entry)).Order(StringComparer.Ordinal))
                yield return Path.Combine(dir, Path.GetFileName(f));
        }
    }

    private static (bool Identical, string Detail) Compare(string original, string repeated)
    {
        if (!File.Exists(original)) return (false, $"{original} is missing");
        if (!File.Exists(repeated)) return (false, "the rerun did not write it");
        var a = File.ReadAllBytes(original);
        var b = File.ReadAllBytes(repeated);
        if (a.AsSpan().SequenceEqual(b)) return (true, $"{a.Length} bytes");
        var linesA = File.ReadAllLines(original);
        var linesB = File.ReadAllLines(repeated);
        for (var i = 0; i < Math.Max(linesA.Length, linesB.Length); i++)
        {
            var x = i < linesA.Length ? linesA[i] : "(end of file)";
            var y = i < linesB.Length ? linesB[i] : "(end of file)";
            if (x != y) return (false, $"first at line {i + 1}: '{x}' then, '{y}' now");
        }
        return (false, "the bytes differ (line endings)");
    }
}
