using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentFirm.Causal;
using AgentFirm.Core;
using AgentFirm.Host.Firm;
using AgentFirm.Models.Sentiment;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.OnChain;
using AgentFirm.Quant.Reporting;
using AgentFirm.Quant.Strategies;
using Spectre.Console;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm evaluate`: the firm against its baselines and its own ablations, all on the same data, costs
/// and warm-up in the same engine: the firm; buy-and-hold; volatility-targeted buy-and-hold; each analyst
/// alone driving the firm's tactical, risk and execution chain; and the firm without each analyst in turn.
/// Reports the comparison table, each analyst's marginal contribution (paired over the shared dates), the
/// deflated Sharpe of the firm given every variant run and the PBO across them.
/// </summary>
public static class EvaluateCommand
{
    /// <summary>The analysts the meta-controller can consult, in the order the variants list them.</summary>
    public static IReadOnlyList<string> Analysts { get; } =
        [TechnicalAnalyst.AgentName, SentimentAnalyst.AgentName, OnChainAnalyst.AgentName, CausalFeatureAnalyst.AgentName];

    /// <summary>A variant to run: a fixed strategy, or the firm consulting the listed analysts (null: all of them).</summary>
    private sealed record Variant(string Name, string Kind, string Description, Func<IStrategy>? Strategy, IReadOnlyList<string>? Analysts);

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var flags = new BacktestFlags();
        var outDir = new Option<string>("--out") { Description = "Folder for evaluate.json, evaluate.csv, returns.csv, evaluate.html and each firm variant's decisions", Required = true };
        var force = OutputTarget.ForceOption();
        var partitions = new Option<int>("--partitions") { Description = "CSCV partitions S for the PBO (even; fewer on a short span)", DefaultValueFactory = _ => 16 };
        var samples = new Option<int>("--bootstrap-samples") { Description = "Paired bootstrap samples for each analyst's marginal contribution", DefaultValueFactory = _ => 2000 };
        var parallel = new Option<int>("--parallel") { Description = "Variants run at the same time, each in its own silo; results do not depend on it (on 2 busy cores 1 was faster: the causal screen dominates)", DefaultValueFactory = _ => 1 };

        var command = new Command("evaluate", "The firm against buy-and-hold, volatility-targeted buy-and-hold, each analyst alone and the firm without each analyst: table, marginal contributions, deflated Sharpe and PBO.");
        foreach (var o in flags.All.Concat([outDir, force, partitions, samples, parallel])) command.Options.Add(o);

        command.SetAction(async (parse, ct) =>
        {
            var clock = Stopwatch.StartNew();
            var target = parse.GetValue(outDir)!;
            OutputTarget.Folder(target, parse.GetValue(force));
            var s = parse.GetValue(partitions);
            if (s < 2 || s % 2 != 0) throw new BadInputException($"--partitions must be even and at least 2, got {s}.");
            var bootstrap = parse.GetValue(samples);
            if (bootstrap < 100) throw new BadInputException($"--bootstrap-samples must be at least 100, got {bootstrap}.");
            var concurrency = parse.GetValue(parallel);
            if (concurrency < 1) throw new BadInputException($"--parallel must be at least 1, got {concurrency}.");
            var setup = flags.Resolve(parse);
            var loaded = setup.Load();
            var log = TextWriter.Synchronized(stderr);
            foreach (var w in loaded.Warnings) await log.WriteLineAsync($"warning: {w.File}: row {w.Row}, field '{w.Field}': {w.Message}");
            foreach (var note in setup.Warmup.Shortfalls(loaded)) await log.WriteLineAsync($"warning: {note}");
            var side = FirmSideData.Load(setup.DataPath, loaded.Market.Select(m => m.Instrument).ToList());
            await log.WriteLineAsync($"firm: {side.Headlines} headlines ({side.UndatedSkipped} undated rows skipped) and on-chain series from {side.Files.Count} file(s)");

            var variants = Variants();
            var engine = new BacktestEngine(setup.Options);
            var firm = new FirmBacktest(setup.Settings, side, log);
            var results = new EvaluatedVariant[variants.Count];
            var decisions = new Dictionary<string, string>();
            using var gate = new SemaphoreSlim(concurrency);
            var started = 0;
            await Task.WhenAll(variants.Select(async (variant, i) =>
            {
                await gate.WaitAsync(ct);
                try
                {
                    var n = Interlocked.Increment(ref started);
                    await log.WriteLineAsync($"evaluate: variant {n} of {variants.Count}: {variant.Name}");
                    var watch = Stopwatch.StartNew();
                    var extra = new JsonObject();
                    BacktestResult result;
                    if (variant.Strategy is { } make) result = await engine.RunAsync(loaded.Market, make(), null, ct);
                    else
                    {
                        var run = await firm.RunAsync(engine, loaded.Market, variant.Analysts, null, ct);
                        result = run.Result;
                        var file = $"decisions/{variant.Name}.csv";
                        lock (decisions) decisions[file] = run.DecisionsCsv;
                        extra["analysts"] = new JsonArray((variant.Analysts ?? Analysts).Select(a => (JsonNode)a).ToArray());
                        extra["decisions"] = new JsonObject
                        {
                            ["file"] = file,
                            ["targets"] = run.Decisions,
                            ["mean_abs_direction"] = run.MeanAbsoluteDirection,
                            ["vetoes"] = run.Vetoes,
                            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(run.DecisionsCsv))),
                        };
                        if (run.MindJson() is { } mind)
                        {
                            extra["mind"] = mind;
                            foreach (var line in run.MindLines().Concat(run.MindAlarms())) await log.WriteLineAsync($"evaluate: {variant.Name}: {line}");
                        }
                    }
                    extra["elapsed_seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 2);
                    results[i] = new EvaluatedVariant(variant.Name, variant.Kind, variant.Description, result) { Extra = extra };
                    await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"evaluate: {variant.Name} done in {watch.Elapsed.TotalSeconds:F1} s: Sharpe {results[i].Metrics.Sharpe:F2}, {results[i].Trades} trade(s)"));
                }
                finally
                {
                    gate.Release();
                }
            }));

            var ablations = Analysts.Select(a => new Ablation(a, $"without-{a}")).ToArray();
            var evaluation = VariantEvaluation.Compute(results, "firm", ablations, s, bootstrap, BootstrapSeed);
            var firmWarmup = results[0].Result.Warmup;
            var context = new JsonObject
            {
                ["config"] = Config(setup, loaded, s, bootstrap, concurrency),
                ["data"] = loaded.Report.DeepClone(),
                ["side_data"] = new JsonArray(side.Files.Select(f => (JsonNode)new JsonObject { ["file"] = RunPaths.Relative(f), ["sha256"] = RunProvenance.Sha256(f) }).ToArray()),
                ["warmup"] = BacktestReportWriter.WarmupJson(firmWarmup, setup.Warmup.Request(loaded)),
                ["elapsed_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1),
                // what `agentfirm rerun` repeats: the command line and every AgentFirm:* value, bars and side data hashed
                ["provenance"] = RunProvenance.Build(setup.Settings, parse.Tokens.Select(t => t.Value),
                    loaded.Report.Select(d => (string)d!["file"]!).Concat(side.Files), Seeds(setup.Settings)),
            };
            var symbols = string.Join(", ", loaded.Market.Select(m => m.Instrument.Symbol));
            var title = $"evaluate: {symbols} {setup.Timeframe}, {evaluation.SelectedVariant.Metrics.Start:yyyy-MM-dd} to {evaluation.SelectedVariant.Metrics.End:yyyy-MM-dd}";
            VariantEvaluationWriter.Write(target, evaluation, context, title, decisions);

            Print(stdout, evaluation, title,
                setup.CostsLine(loaded),
                firmWarmup.Steps > 0
                    ? $"warm-up: {firmWarmup.Steps} step(s) from {firmWarmup.FirstBar:yyyy-MM-dd HH:mm} before {firmWarmup.TradeFrom:yyyy-MM-dd HH:mm} ({setup.Warmup.Length} asked)"
                    : $"warm-up: none ({setup.Warmup.Length} asked)",
                string.Create(CultureInfo.InvariantCulture, $"{variants.Count} variants in {clock.Elapsed.TotalSeconds:F1} s"),
                $"report: {RunPaths.Relative(target)} (evaluate.json, evaluate.csv, returns.csv, evaluate.html, decisions/)");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Fixed, so the marginal contributions' intervals are the same on every run of the same data.</summary>
    private const int BootstrapSeed = 1;

    /// <summary>The bootstrap's seed, and the forecaster's when the technical analyst uses one.</summary>
    private static Dictionary<string, long> Seeds(AgentFirmSettings settings)
    {
        var seeds = new Dictionary<string, long> { ["bootstrap"] = BootstrapSeed };
        if (settings.Forecaster.Enabled) seeds["forecaster"] = settings.Forecaster.Seed;
        return seeds;
    }

    private static List<Variant> Variants()
    {
        var list = new List<Variant>
        {
            new("firm", "firm", "the whole firm: every analyst", null, null),
            new("buyhold", "baseline", "equal-weight buy-and-hold", () => new BuyAndHold(), null),
            new("voltarget", "baseline", "volatility-targeted buy-and-hold: 20% book volatility split across the assets, 30-bar realised volatility, 25% band, at most 0.99x gross", () => new VolatilityTargetedHold(), null),
        };
        list.AddRange(Analysts.Select(a => new Variant($"only-{a}", "analyst-alone", $"the {a} analyst alone through the firm's tactical, risk and execution chain", null, [a])));
        list.AddRange(Analysts.Select(a => new Variant($"without-{a}", "ablation", $"the firm without the {a} analyst", null, Analysts.Where(x => x != a).ToArray())));
        return list;
    }

    private static JsonObject Config(BacktestSetup setup, BacktestData.Loaded loaded, int partitions, int samples, int parallel)
    {
        var config = setup.Config(loaded.Market.Select(m => m.Instrument));
        config["selected"] = "firm";
        config["variants"] = new JsonArray(Variants().Select(v => (JsonNode)v.Name).ToArray());
        config["pbo_partitions"] = partitions;
        config["bootstrap_samples"] = samples;
        config["parallel"] = parallel;
        config["risk"] = System.Text.Json.JsonSerializer.SerializeToNode(setup.Settings.Risk);
        config["sentiment_model"] = setup.Settings.Sentiment.Model;
        return config;
    }

    private static void Print(TextWriter stdout, VariantEvaluation evaluation, string title, params string[] footer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        console.Profile.Width = Math.Max(console.Profile.Width, 140); // nine columns: do not squeeze them into 80 when redirected
        var table = new Table().Title(Markup.Escape(title));
        foreach (var (header, i) in VariantEvaluationWriter.TableHeaders.Select((h, i) => (h, i)))
            table.AddColumn(i == 0 ? new TableColumn(header) : new TableColumn(header).RightAligned());
        foreach (var row in VariantEvaluationWriter.TableRows(evaluation)) table.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(table);
        var contributions = new Table().Title("marginal contribution: firm Sharpe minus firm-without-analyst Sharpe (paired block bootstrap)");
        foreach (var (header, i) in VariantEvaluationWriter.ContributionHeaders.Select((h, i) => (h, i)))
            contributions.AddColumn(i == 0 ? new TableColumn(header) : new TableColumn(header).RightAligned());
        foreach (var row in VariantEvaluationWriter.ContributionRows(evaluation)) contributions.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(contributions);
        foreach (var line in VariantEvaluationWriter.SummaryLines(evaluation).Concat(footer)) console.WriteLine(line);
    }
}
