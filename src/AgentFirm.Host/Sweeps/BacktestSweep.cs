using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Hosting;
using AgentFirm.Agents.Persistence;
using AgentFirm.Core;
using AgentFirm.Host.Cli;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AgentFirm.Host.Sweeps;

/// <summary>
/// `agentfirm backtest ... --grid KEY=V1,V2 [--grid ...]`: the grid's backtests as work grains on the cluster's silos
/// (--cluster) or on one local silo, results in --out (a folder per run and sweep.csv), a summary table on stdout and,
/// with --cluster, each run in PostgreSQL (sweep_runs). Interrupted (Ctrl+C, a crash), the same command resumes it.
/// </summary>
public sealed class BacktestSweep
{
    public required IReadOnlyList<Option> Forwarded { get; init; }
    public required TextWriter Stdout { get; init; }
    public required TextWriter Stderr { get; init; }

    public async Task<int> RunAsync(ParseResult parse, IEnumerable<string> gridEntries, int perSilo, string? outDir, bool force, ClusterSettings? cluster, CancellationToken ct)
    {
        if (perSilo < 1) throw new BadInputException($"--per-silo {perSilo}: give at least 1 run per silo.");
        var flagNames = Forwarded.Select(o => o.Name.TrimStart('-')).ToHashSet(StringComparer.Ordinal);
        flagNames.Remove("param"); // varied one parameter at a time, as param.NAME
        var grid = SweepGrid.Parse(gridEntries, flagNames);
        var plan = SweepPlan.Create(BaseFlags(parse), grid);
        Validate(plan);
        var folder = outDir ?? Path.Combine("out", $"sweep-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        var output = SweepOutput.Open(folder, plan, force);
        var completed = output.Completed();
        var todo = plan.Runs.Where(r => !completed.Contains(r.Key)).ToList();
        if (completed.Count > 0) await Stderr.WriteLineAsync($"sweep: resuming {RunPaths.Relative(folder)}: {completed.Count} of {plan.Runs.Count} run(s) finished earlier are skipped");

        await using var database = cluster is null ? null : new PostgresDatabase(cluster.Postgres);
        var store = database is null ? null : new PostgresSweepStore(database);
        await using var connection = cluster is null ? null : await ClusterConnection.ConnectAsync(cluster, ct);
        using var local = cluster is null ? await SweepSilo.StartLocalAsync(ct) : null;
        var grains = connection?.Client ?? local!.Services.GetRequiredService<IGrainFactory>();
        await Stderr.WriteLineAsync(cluster is null ? "sweep: on a local silo (pass --cluster to spread it over a running cluster)" : $"sweep: on the cluster ({cluster.Describe()}), stored in PostgreSQL as {plan.Id}");

        var driver = new SweepDriver(grains, perSilo, Stderr);
        try
        {
            await driver.RunAsync(todo, completed.Count, plan.Runs.Count, async result =>
            {
                output.Save(result);
                if (store is not null) await store.SaveAsync(Stored(plan, result), CancellationToken.None);
            }, ct);
        }
        catch (OperationCanceledException)
        {
            var rows = output.Rows();
            output.WriteCsv(rows);
            await Stderr.WriteLineAsync($"sweep: cancelled with {rows.Count(r => r.Status != "not run")} of {plan.Runs.Count} run(s) finished; run the same command again (same --out) to resume");
            throw;
        }

        var final = output.Rows();
        var csv = output.WriteCsv(final);
        WriteTable(final);
        var failed = final.Where(r => r.Status != "completed").ToList();
        var best = final.Where(r => r.Metric("sharpe") is not null).MaxBy(r => r.Metric("sharpe"));
        if (best is not null) await Stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"best Sharpe: {best.Run.Key} ({best.Metric("sharpe"):0.00}); {plan.Runs.Count} variants tried, so judge it with a deflated Sharpe (stats dsr)"));
        await Stdout.WriteLineAsync($"sweep: {RunPaths.Relative(csv)} and a folder per run in {RunPaths.Relative(folder)}{(store is null ? "" : $"; PostgreSQL sweep_runs, sweep {plan.Id}")}");
        if (failed.Count == 0) return ExitCodes.Success;
        await Stderr.WriteLineAsync($"error: {failed.Count} of {plan.Runs.Count} run(s) failed, first: {failed[0].Run.Key}: {failed[0].Error}");
        return failed.All(r => r.ExitCode == ExitCodes.BadInput) ? ExitCodes.BadInput : ExitCodes.Failure;
    }

    /// <summary>The flags the user gave (not defaults), in order, that every run shares; the data path made absolute for silos elsewhere.</summary>
    private List<(string Flag, IReadOnlyList<string> Values)> BaseFlags(ParseResult parse)
    {
        var flags = new List<(string, IReadOnlyList<string>)>();
        foreach (var result in parse.CommandResult.Children.OfType<OptionResult>())
        {
            if (result.Implicit || !Forwarded.Contains(result.Option)) continue;
            var values = result.Tokens.Select(t => t.Value).ToList();
            if (result.Option.Name == "--data") values = values.Select(Path.GetFullPath).ToList();
            flags.Add((result.Option.Name, values));
        }
        return flags;
    }

    /// <summary>Every run's command line and settings are checked before any runs, so a typo fails the sweep at once (exit 2).</summary>
    private static void Validate(SweepPlan plan)
    {
        var root = AgentFirmCli.BuildRoot(TextWriter.Null, TextWriter.Null);
        foreach (var run in plan.Runs)
        {
            var parsed = root.Parse(["backtest", .. run.Arguments, "--out", "x"]);
            if (parsed.Errors.Count > 0) throw new BadInputException($"--grid run {run.Key}: {ParseErrors.Describe(parsed)}");
            try
            {
                AgentFirmSettings.Load(run.Settings.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
            }
            catch (Exception ex) when (ex is BadInputException or FormatException or ArgumentException)
            {
                throw new BadInputException($"--grid run {run.Key}: {ex.Message}");
            }
        }
    }

    private static StoredSweepRun Stored(SweepPlan plan, SweepRunResult result)
    {
        var settings = new System.Text.Json.Nodes.JsonObject(result.Run.Point.Select(kv => KeyValuePair.Create(kv.Key, (System.Text.Json.Nodes.JsonNode?)kv.Value)));
        return new StoredSweepRun(plan.Id, result.Run.Key, result.Status.State.ToString().ToLowerInvariant(), result.Status.ExitCode, result.Status.Silo, result.Status.Seconds,
            settings.ToJsonString(), result.Status.Files.GetValueOrDefault("report.json"),
            result.Status.State == SweepRunState.Completed ? null : SweepDriver.LastLine(result.Status.Errors));
    }

    private void WriteTable(IReadOnlyList<SweepRow> rows)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Stdout) });
        console.Profile.Width = Math.Max(console.Profile.Width, 160); // run keys are long; a redirected stdout would wrap them at 80
        var table = new Table().Title($"sweep: {rows.Count} run(s)").AddColumn("#").AddColumn("run").AddColumn("status");
        foreach (var name in (string[])["total return", "sharpe", "max drawdown", "fills", "seconds"]) table.AddColumn(new TableColumn(name).RightAligned());
        table.AddColumn("silo");
        foreach (var row in rows)
            table.AddRow(row.Run.Index.ToString(), Markup.Escape(row.Run.Key), Markup.Escape(row.Status),
                Format(row.Metric("total_return"), "P2"), Format(row.Metric("sharpe"), "0.00"), Format(row.Metric("max_drawdown"), "P2"),
                Format(row.Metric("fills"), "0"), Format(row.Seconds, "0.0"), Markup.Escape(row.Silo));
        console.Write(table);
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
