using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Host.Sweeps;

/// <summary>A run's line in sweep.csv and the summary table: its outcome and headline metrics (null where it has none).</summary>
public sealed record SweepRow(SweepRun Run, string Status, int? ExitCode, JsonObject? Report, string Silo, double? Seconds, int Restarts, string Error)
{
    public double? Metric(string name) => Report?[name]?.GetValueKind() == JsonValueKind.Number ? Report[name]!.GetValue<double>() : null;
}

/// <summary>
/// The sweep's folder: sweep.json (the base command line and the sweep's id), one folder per run (its report files,
/// its stdout as summary.txt and run.json, written last, so a folder with run.json is a finished run), and sweep.csv.
/// A run's folder appears all at once (written beside it, then moved into place), so an interrupted sweep leaves
/// finished runs and nothing half-written; running the same command again skips them by key.
/// </summary>
public sealed class SweepOutput
{
    public const string RunFile = "run.json";
    public const string SweepFile = "sweep.json";
    public const string CsvFile = "sweep.csv";

    public static readonly string[] Metrics = ["total_return", "cagr", "sharpe", "sortino", "max_drawdown", "fills", "round_trips", "final_equity"];

    private readonly string _folder;
    private readonly SweepPlan _plan;

    private SweepOutput(string folder, SweepPlan plan)
    {
        _folder = folder;
        _plan = plan;
    }

    public string Folder => _folder;

    /// <summary>
    /// Opens the --out folder for this sweep: empty or new, or holding an earlier attempt of the same sweep (same base
    /// command line), which is resumed. Anything else is refused unless <paramref name="force"/> clears it first.
    /// </summary>
    public static SweepOutput Open(string folder, SweepPlan plan, bool force)
    {
        if (File.Exists(folder)) throw new BadInputException($"--out '{folder}' is a file; give a folder for the sweep.");
        var marker = Path.Combine(folder, SweepFile);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (force) Directory.Delete(folder, recursive: true);
            else if (!File.Exists(marker))
                throw new BadInputException($"--out '{folder}' exists, is not empty and holds no {SweepFile}; pass --force to replace it.");
            else if (JsonNode.Parse(File.ReadAllText(marker))?["id"]?.GetValue<string>() != plan.Id)
                throw new BadInputException($"--out '{folder}' holds a sweep with another base command line (see its {SweepFile}); use another --out, or --force to replace it.");
        }
        Directory.CreateDirectory(folder);
        File.WriteAllText(marker, new JsonObject
        {
            ["id"] = plan.Id,
            ["base_arguments"] = new JsonArray(plan.BaseArguments.Select(a => (JsonNode)a).ToArray()),
            ["grid"] = new JsonObject(plan.Grid.Axes.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)new JsonArray(a.Values.Select(v => (JsonNode)v).ToArray())))),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new SweepOutput(folder, plan);
    }

    /// <summary>The runs an earlier attempt finished (run.json says completed and names the same key).</summary>
    public HashSet<string> Completed() => _plan.Runs.Where(r => Finished(r) is { Status: "completed" }).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>Writes a finished run's folder (replacing what a failed earlier attempt left).</summary>
    public void Save(SweepRunResult result)
    {
        var target = Path.Combine(_folder, result.Run.Folder);
        var temp = Path.Combine(_folder, $".{result.Run.Folder}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        foreach (var (name, content) in result.Status.Files) File.WriteAllText(Path.Combine(temp, Path.GetFileName(name)), content);
        if (result.Status.Output.Length > 0) File.WriteAllText(Path.Combine(temp, "summary.txt"), result.Status.Output);
        File.WriteAllText(Path.Combine(temp, RunFile), RunJson(result).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.Move(temp, target);
    }

    public static JsonObject RunJson(SweepRunResult result) => new()
    {
        ["key"] = result.Run.Key,
        ["point"] = new JsonObject(result.Run.Point.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        ["arguments"] = new JsonArray(result.Run.Arguments.Select(a => (JsonNode)a).ToArray()),
        ["status"] = result.Status.State.ToString().ToLowerInvariant(),
        ["exit_code"] = result.Status.ExitCode,
        ["silo"] = result.Status.Silo,
        ["seconds"] = result.Status.Seconds,
        ["restarts"] = result.Restarts,
        ["error"] = result.Status.State == SweepRunState.Completed ? null : SweepDriver.LastLine(result.Status.Errors),
    };

    /// <summary>Every run of the plan as it stands in the folder now; runs never finished say "not run".</summary>
    public IReadOnlyList<SweepRow> Rows() => _plan.Runs.Select(run =>
    {
        if (Finished(run) is not { } done) return new SweepRow(run, "not run", null, null, "", null, 0, "");
        var reportFile = Path.Combine(_folder, run.Folder, "report.json");
        var report = File.Exists(reportFile) ? JsonNode.Parse(File.ReadAllText(reportFile)) as JsonObject : null;
        return new SweepRow(run, done.Status, done.ExitCode, report, done.Silo, done.Seconds, done.Restarts, done.Error);
    }).ToList();

    /// <summary>sweep.csv: one line per run in grid order: the grid's values, the outcome and the headline metrics.</summary>
    public string WriteCsv(IReadOnlyList<SweepRow> rows)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', ((string[])["run"]).Concat(_plan.Grid.Axes.Select(a => a.Key)).Concat(["status", "exit_code"]).Concat(Metrics)
            .Concat(["silo", "seconds", "restarts", "folder", "error"]).Select(CsvFormat.Field)));
        foreach (var row in rows)
        {
            var cells = new List<string> { row.Run.Index.ToString() };
            cells.AddRange(row.Run.Point.Select(kv => CsvFormat.Field(kv.Value)));
            cells.Add(row.Status);
            cells.Add(row.ExitCode?.ToString() ?? "");
            cells.AddRange(Metrics.Select(m => CsvFormat.Number(row.Metric(m))));
            cells.AddRange([CsvFormat.Field(row.Silo), CsvFormat.Number(row.Seconds), row.Restarts.ToString(), CsvFormat.Field(row.Run.Folder), CsvFormat.Field(row.Error)]);
            csv.AppendLine(string.Join(',', cells));
        }
        var path = Path.Combine(_folder, CsvFile);
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private sealed record FinishedRun(string Status, int ExitCode, string Silo, double Seconds, int Restarts, string Error);

    private FinishedRun? Finished(SweepRun run)
    {
        var file = Path.Combine(_folder, run.Folder, RunFile);
        if (!File.Exists(file)) return null;
        var json = JsonNode.Parse(File.ReadAllText(file))!;
        if (json["key"]?.GetValue<string>() != run.Key) return null;
        return new FinishedRun(json["status"]!.GetValue<string>(), json["exit_code"]!.GetValue<int>(), json["silo"]?.GetValue<string>() ?? "",
            json["seconds"]!.GetValue<double>(), json["restarts"]?.GetValue<int>() ?? 0, json["error"]?.GetValue<string>() ?? "");
    }
}
