using System.CommandLine;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Host.Firm;
using AgentFirm.Llm;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;
using AgentFirm.Quant.Reporting;
using AgentFirm.Quant.Strategies;

namespace AgentFirm.Host.Cli;

/// <summary>`agentfirm backtest`: one strategy and buy-and-hold on the same data in the same run, a summary table and a report folder.</summary>
public static class BacktestCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var flags = new BacktestFlags();
        var strategy = new Option<string>("--strategy") { Description = $"One of: {string.Join(", ", StrategyCatalog.Names)}, firm (the whole agent firm in an in-process silo)", DefaultValueFactory = _ => "sma-cross" };
        var parameters = new Option<string[]>("--param") { Description = "Strategy parameters as key=value, e.g. --param fast=10 --param slow=40", AllowMultipleArgumentsPerToken = true };
        var outDir = new Option<string?>("--out") { Description = "Report folder (default out/backtest-<strategy>-<time>)" };
        var force = OutputTarget.ForceOption();
        var cluster = new Option<bool>("--cluster") { Description = "Run the firm on the running cluster (agentfirm silo --profile cluster) as a client; with --redis, --cluster-id" };
        var clusterFlags = new ClusterFlags();
        var grid = new Option<string[]>("--grid") { Description = "A sweep: KEY=V1,V2,... once per axis; every combination runs as its own backtest (KEY is a flag without dashes such as fee-bps, param.NAME, or a configuration key such as AgentFirm:Tactical:TargetVolatility). With --cluster the runs spread over the cluster's silos" };
        var perSilo = new Option<int>("--per-silo") { Description = "Sweep runs in flight per silo at once (back-pressure)", DefaultValueFactory = _ => 2 };

        var command = new Command("backtest", "Backtest a strategy against buy-and-hold on historical or simulated bars.");
        foreach (var o in flags.All.Concat([strategy, parameters, outDir, force, cluster, grid, perSilo]).Concat(clusterFlags.All)) command.Options.Add(o);
        // What every run of a sweep shares with the command line it came from: all but the sweep's own flags.
        var forwarded = flags.All.Concat([strategy, parameters]).ToList();

        command.SetAction(async (parse, ct) =>
        {
            var setup = flags.Resolve(parse);
            var settings = setup.Settings;
            var strategyName = parse.GetValue(strategy)!;
            var strategyParams = CliParsing.Parameters(parse.GetValue(parameters));
            StrategyChoice.Check(strategyName, strategyParams);
            var isFirm = strategyName.Equals(StrategyChoice.Firm, StringComparison.OrdinalIgnoreCase);
            var onCluster = parse.GetValue(cluster) ? clusterFlags.Resolve(parse, settings) : null;
            if (parse.GetValue(grid) is { Length: > 0 } axes)
                return await new Sweeps.BacktestSweep { Forwarded = forwarded, Stdout = stdout, Stderr = stderr }
                    .RunAsync(parse, axes, parse.GetValue(perSilo), parse.GetValue(outDir), parse.GetValue(force), onCluster, ct);
            if (onCluster is not null && !isFirm) throw new BadInputException("--cluster runs the agent firm on the cluster: it needs --strategy firm.");
            var chosen = isFirm ? null : StrategyCatalog.Create(strategyName, strategyParams);
            var target = parse.GetValue(outDir) ?? Path.Combine("out", $"backtest-{strategyName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            OutputTarget.Folder(target, parse.GetValue(force));

            var loaded = setup.Load();
            foreach (var note in loaded.Notes) await stderr.WriteLineAsync(note);
            foreach (var w in loaded.Warnings) await stderr.WriteLineAsync($"warning: {w.File}: row {w.Row}, field '{w.Field}': {w.Message}");
            foreach (var note in setup.Warmup.Shortfalls(loaded)) await stderr.WriteLineAsync($"warning: {note}");

            var engine = new BacktestEngine(setup.Options);
            var extraFiles = new Dictionary<string, string>();
            BacktestHalt? halt = null;
            var riskActions = 0;
            FirmRun? firmRun = null;
            var inputFiles = loaded.Report.Select(d => (string)d!["file"]!).ToList();
            inputFiles.AddRange(loaded.Report.Select(d => d!["intrabar"]?["file"]?.GetValue<string>()).OfType<string>());
            BacktestResult result;
            string? clusterRunId = null;
            if (isFirm)
            {
                var side = FirmSideData.Load(setup.DataPath, loaded.Market.Select(m => m.Instrument).ToList());
                inputFiles.AddRange(side.Files);
                await stderr.WriteLineAsync($"firm: {side.Headlines} headlines ({side.UndatedSkipped} undated rows skipped) and on-chain series from {side.Files.Count} file(s); {(onCluster is null ? "starting an in-process silo" : $"joining the cluster ({onCluster.Describe()})")}");
                var firmBacktest = new FirmBacktest(settings, side, stderr) { Cluster = onCluster };
                var run = await firmBacktest.RunAsync(engine, loaded.Market, null, new ProgressPrinter(stderr, "backtest firm"), ct);
                clusterRunId = onCluster is null ? null : firmBacktest.RunId;
                result = run.Result;
                extraFiles["decisions.csv"] = run.DecisionsCsv;
                extraFiles["views.csv"] = run.ViewsCsv;
                extraFiles["calibration.csv"] = CalibrationCsv.Write(run.Calibration);
                extraFiles["parents.csv"] = ParentOrderJournal.Csv(run.Execution);
                halt = run.Halt;
                riskActions = run.GuardEvents.Count;
                firmRun = run;
                await stderr.WriteLineAsync(CalibrationCsv.Summary(run.Calibration));
                foreach (var alarm in run.MindAlarms()) await stderr.WriteLineAsync(alarm);
            }
            else result = await engine.RunAsync(loaded.Market, chosen!, new ProgressPrinter(stderr, $"backtest {chosen!.Name}"), ct);
            var benchmark = await engine.RunAsync(loaded.Market, new BuyAndHold(), null, ct);

            var config = setup.Config(loaded.Market.Select(m => m.Instrument));
            config.Insert(0, "strategy", strategyName);
            config.Insert(1, "strategy_params", new JsonObject(strategyParams.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))));
            var seeds = isFirm && settings.Forecaster.Enabled ? new Dictionary<string, long> { ["forecaster"] = settings.Forecaster.Seed } : null;
            var report = new BacktestReport(result, benchmark, config, loaded.Report)
            {
                ExtraFiles = extraFiles,
                WarmupRequest = setup.Warmup.Request(loaded),
                Halt = halt,
                CanHalt = isFirm,
                Limits = settings.Risk,
                RiskActionsBetweenDecisions = riskActions,
                Mind = firmRun?.MindJson(),
                Execution = firmRun is null ? null : ParentOrderJournal.Json(firmRun.Execution),
                Provenance = RunProvenance.Build(settings, parse.Tokens.Select(t => t.Value), inputFiles, seeds),
            };
            BacktestReportWriter.Write(target, report);
            if (onCluster is not null && clusterRunId is not null)
            {
                // The run's ledger is already in the cluster's database under this id; its report joins it there.
                await using var database = new AgentFirm.Agents.Persistence.PostgresDatabase(onCluster.Postgres);
                await new AgentFirm.Agents.Persistence.PostgresResultStore(database).SaveAsync(clusterRunId, clusterRunId, strategyName,
                    await File.ReadAllTextAsync(Path.Combine(target, "report.json"), ct), ct);
                await stderr.WriteLineAsync($"cluster: report and ledger stored in PostgreSQL as run {clusterRunId}");
            }

            var w0 = result.Warmup;
            BacktestSummary.Write(stdout, report, [
                setup.CostsLine(loaded),
                w0.Steps > 0
                    ? $"warm-up: {w0.Steps} step(s) from {w0.FirstBar:yyyy-MM-dd HH:mm} before {w0.TradeFrom:yyyy-MM-dd HH:mm} ({setup.Warmup.Length} asked), {w0.SuppressedOrders} order(s) dropped"
                    : setup.From is null ? "warm-up: none (no --from: trading starts at the data's first bar)" : $"warm-up: none ({setup.Warmup.Length} asked)",
                $"report: {RunPaths.Relative(target)} (report.json, equity.csv, returns.csv, trades.csv, fills.csv, orders.csv, chart.html{(isFirm ? ", decisions.csv, views.csv, calibration.csv, parents.csv" : "")})",
                .. firmRun is null ? Array.Empty<string>() : [ParentOrderJournal.Describe(firmRun.Execution)],
                .. firmRun?.MindLines() ?? []]);
            return ExitCodes.Success;
        });
        return command;
    }
}
