using System.CommandLine;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Reporting;
using AgentFirm.Quant.Strategies;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm` with no verb: the embedded-defaults run that needs no data and no setup. It simulates a
/// seeded two-year hourly market, backtests the baseline strategies on it against buy-and-hold with the
/// configured costs, prints the tables and writes the report of the first one.
/// (The Orleans firm takes over this entry point once it exists.)
/// </summary>
public static class DefaultRun
{
    public static void Attach(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        var seed = new Option<long>("--seed") { Description = "Simulator seed", DefaultValueFactory = _ => 42 };
        var days = new Option<int>("--days") { Description = "Days of simulated hourly bars", DefaultValueFactory = _ => 730 };
        var outDir = new Option<string>("--out") { Description = "Report folder", DefaultValueFactory = _ => Path.Combine("out", "default-run") };
        root.Options.Add(seed);
        root.Options.Add(days);
        root.Options.Add(outDir);
        root.SetAction(async (parse, ct) =>
        {
            var settings = AgentFirmSettings.Load();
            var options = new SimulatorOptions { Seed = parse.GetValue(seed), Days = parse.GetValue(days), Timeframe = Timeframe.Hour };
            options.Validate();
            await stderr.WriteLineAsync($"simulating {options.Days} days of hourly bars for {string.Join(", ", options.Assets.Select(a => a.Symbol))} (seed {options.Seed})");
            var market = new MarketSimulator(options).Run(cancellationToken: ct);
            var series = market.Assets.Select(a => new MarketSeries(Instrument.Parse(a.Symbol), a.Bars)).ToArray();

            var engine = new BacktestEngine(settings.Backtest.ToOptions());
            var benchmark = await engine.RunAsync(series, new BuyAndHold(), null, ct);
            var config = new JsonObject { ["source"] = "simulator", ["seed"] = options.Seed, ["days"] = options.Days, ["timeframe"] = "1h" };
            var data = new JsonArray(series.Select(s => (JsonNode)new JsonObject { ["symbol"] = s.Instrument.Symbol, ["bars"] = s.Bars.Count }).ToArray());
            IStrategy[] strategies = [new SmaCross(24, 24 * 7), new TimeSeriesMomentum(24 * 30)];
            BacktestReport? first = null;
            foreach (var strategy in strategies)
            {
                var result = await engine.RunAsync(series, strategy, new ProgressPrinter(stderr, $"backtest {strategy.Name}"), ct);
                var report = new BacktestReport(result, benchmark, config, data, VariantsTried: strategies.Length);
                first ??= report;
                BacktestSummary.Write(stdout, report);
            }
            var target = parse.GetValue(outDir)!;
            BacktestReportWriter.Write(target, first!);
            await stdout.WriteLineAsync($"report of {first!.Result.Strategy}: {Path.GetFullPath(target)} (open chart.html)");
            await stdout.WriteLineAsync("next: `agentfirm backtest --data ../shared/data/ohlcv --symbols BTC-USDT,ETH-USDT` for real data, `agentfirm --help` for every verb");
            return ExitCodes.Success;
        });
    }
}
