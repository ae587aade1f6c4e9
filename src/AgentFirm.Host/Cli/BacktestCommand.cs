using System.CommandLine;
using System.Text.Json.Nodes;
using AgentFirm.Agents;
using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Host.Firm;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Reporting;
using AgentFirm.Quant.Strategies;

namespace AgentFirm.Host.Cli;

/// <summary>`agentfirm backtest`: one strategy and buy-and-hold on the same data in the same run, a summary table and a report folder.</summary>
public static class BacktestCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string>("--data") { Description = "A bar file (.csv, .csv.gz, .parquet, Binance klines) or a folder laid out as DIR/<timeframe>/<SYMBOL>.csv[.gz]", Required = true };
        var symbols = new Option<string?>("--symbols") { Description = "Comma-separated symbols, e.g. BTC-USDT,ETH-USDT (BTC-USDT-PERP trades a perpetual priced from the BTC-USDT file)" };
        var timeframe = new Option<string>("--timeframe") { Description = "Bar interval: 1h, 4h, 1d", DefaultValueFactory = _ => "1d" };
        var from = new Option<string?>("--from") { Description = "First bar (open time), yyyy-MM-dd or ISO-8601, UTC" };
        var to = new Option<string?>("--to") { Description = "Last bar (open time); a bare date includes that whole day" };
        var strategy = new Option<string>("--strategy") { Description = $"One of: {string.Join(", ", StrategyCatalog.Names)}, firm (the whole agent firm in an in-process silo)", DefaultValueFactory = _ => "sma-cross" };
        var parameters = new Option<string[]>("--param") { Description = "Strategy parameters as key=value, e.g. --param fast=10 --param slow=40", AllowMultipleArgumentsPerToken = true };
        var fee = new Option<double?>("--fee-bps") { Description = "Taker fee in basis points (maker fee follows unless --maker-fee-bps is given)" };
        var makerFee = new Option<double?>("--maker-fee-bps") { Description = "Maker fee in basis points (negative = rebate)" };
        var slippage = new Option<double?>("--slippage-bps") { Description = "Fixed slippage on aggressive fills, basis points" };
        var spread = new Option<double?>("--spread-bps") { Description = "Quoted bid-ask spread; market orders pay half" };
        var impact = new Option<double?>("--impact-bps") { Description = "Impact at 100% of bar volume, scaled by sqrt(participation)" };
        var latency = new Option<int?>("--latency-bars") { Description = "Bars between decision and first possible fill (>= 1)" };
        var participation = new Option<double?>("--participation") { Description = "Largest share of a bar's volume one order may take, (0, 1]" };
        var leverage = new Option<double?>("--leverage") { Description = "Max gross exposure per unit of equity; 1 = cash account, no shorting spot" };
        var cash = new Option<double?>("--initial-cash") { Description = "Starting cash in the quote currency" };
        var funding = new Option<double?>("--funding-rate") { Description = "Perpetual funding rate per 8h settlement, e.g. 0.0001" };
        var gaps = new Option<string?>("--gaps") { Description = "Gap policy: fail, carry (mark and carry forward) or skip" };
        var outDir = new Option<string?>("--out") { Description = "Report folder (default out/backtest-<strategy>-<time>)" };
        var force = OutputTarget.ForceOption();

        var command = new Command("backtest", "Backtest a strategy against buy-and-hold on historical or simulated bars.");
        foreach (var o in new Option[] { data, symbols, timeframe, from, to, strategy, parameters, fee, makerFee, slippage, spread, impact, latency, participation, leverage, cash, funding, gaps, outDir, force })
            command.Options.Add(o);

        command.SetAction(async (parse, ct) =>
        {
            var settings = AgentFirmSettings.Load();
            if (parse.GetValue(gaps) is { } g) settings.Market.GapPolicy = CliParsing.Gaps(g);
            var b = settings.Backtest;
            if (parse.GetValue(fee) is { } f) { b.TakerFeeBps = f; b.MakerFeeBps = f; }
            if (parse.GetValue(makerFee) is { } mf) b.MakerFeeBps = mf;
            if (parse.GetValue(slippage) is { } s) b.SlippageBps = s;
            if (parse.GetValue(spread) is { } sp) b.SpreadBps = sp;
            if (parse.GetValue(impact) is { } im) b.ImpactBps = im;
            if (parse.GetValue(latency) is { } l) b.LatencyBars = l;
            if (parse.GetValue(participation) is { } p) b.ParticipationCap = p;
            if (parse.GetValue(leverage) is { } lv) b.MaxLeverage = lv;
            if (parse.GetValue(cash) is { } c) b.InitialCash = c;
            if (parse.GetValue(funding) is { } fr) b.FundingRatePer8h = fr;
            var options = b.ToOptions();
            try { options.Validate(); }
            catch (ArgumentException ex) { throw new BadInputException(ex.Message); }

            var tf = CliParsing.Timeframe(parse.GetValue(timeframe)!);
            var start = CliParsing.Time(parse.GetValue(from), "--from");
            var end = CliParsing.Time(parse.GetValue(to), "--to", endOfDay: true);
            if (start > end) throw new BadInputException($"--from {start:O} is after --to {end:O}.");
            var strategyName = parse.GetValue(strategy)!;
            var strategyParams = CliParsing.Parameters(parse.GetValue(parameters));
            StrategyChoice.Check(strategyName, strategyParams);
            var isFirm = strategyName.Equals(StrategyChoice.Firm, StringComparison.OrdinalIgnoreCase);
            var chosen = isFirm ? null : StrategyCatalog.Create(strategyName, strategyParams);
            var target = parse.GetValue(outDir) ?? Path.Combine("out", $"backtest-{strategyName}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            OutputTarget.Folder(target, parse.GetValue(force));

            var loaded = BacktestData.Load(parse.GetValue(data)!, CliParsing.Symbols(parse.GetValue(symbols)), tf, start, end, settings.Market);
            foreach (var note in loaded.Notes) await stderr.WriteLineAsync(note);
            foreach (var w in loaded.Warnings) await stderr.WriteLineAsync($"warning: {w.File}: row {w.Row}, field '{w.Field}': {w.Message}");

            var engine = new BacktestEngine(options);
            var extraFiles = new Dictionary<string, string>();
            BacktestHalt? halt = null;
            var inputFiles = loaded.Report.Select(d => (string)d!["file"]!).ToList();
            BacktestResult result;
            if (isFirm)
            {
                var side = FirmSideData.Load(parse.GetValue(data)!, loaded.Market.Select(m => m.Instrument).ToList());
                inputFiles.AddRange(side.Files);
                await stderr.WriteLineAsync($"firm: {side.Headlines} headlines ({side.UndatedSkipped} undated rows skipped) and on-chain series from {side.Files.Count} file(s); starting an in-process silo");
                var folder = Path.Combine(Path.GetTempPath(), $"agentfirm-backtest-{Guid.NewGuid():N}");
                try
                {
                    await using var silo = await EmbeddedSilo.StartAsync(new FirmSiloSettings
                    {
                        DatabasePath = Path.Combine(folder, "firm.db"),
                        RiskLimits = settings.Risk,
                        Sentiment = settings.Sentiment,
                        OnnxLoader = settings.SentimentOnnxLoader(),
                        Forecaster = settings.Forecaster.CreateFactory(message => stderr.WriteLine($"forecaster: {message}")),
                        Mind = settings.CreateMind(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance),
                    }, ct);
                    var journal = new DecisionJournal(new FirmStrategy(silo.Grains, $"backtest-{Guid.NewGuid():N}", side.Feed), settings.Risk.MaxDrawdown);
                    result = await engine.RunAsync(loaded.Market, journal, new ProgressPrinter(stderr, "backtest firm"), ct);
                    extraFiles["decisions.csv"] = journal.Csv;
                    extraFiles["views.csv"] = journal.ViewsCsv;
                    halt = journal.Halt;
                }
                finally
                {
                    try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
                }
            }
            else result = await engine.RunAsync(loaded.Market, chosen!, new ProgressPrinter(stderr, $"backtest {chosen!.Name}"), ct);
            var benchmark = await engine.RunAsync(loaded.Market, new BuyAndHold(), null, ct);

            var config = new JsonObject
            {
                ["strategy"] = strategyName,
                ["strategy_params"] = new JsonObject(strategyParams.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["symbols"] = new JsonArray(loaded.Market.Select(m => (JsonNode)m.Instrument.Symbol).ToArray()),
                ["timeframe"] = tf.ToString(),
                ["from"] = start,
                ["to"] = end,
                ["initial_cash"] = options.InitialCash,
                ["taker_fee_bps"] = options.Costs.TakerFeeBps,
                ["maker_fee_bps"] = options.Costs.MakerFeeBps,
                ["spread_bps"] = options.Costs.SpreadBps,
                ["slippage_bps"] = options.Costs.SlippageBps,
                ["impact_bps"] = options.Costs.ImpactBps,
                ["latency_bars"] = options.LatencyBars,
                ["participation_cap"] = options.ParticipationCap,
                ["max_leverage"] = options.MaxLeverage,
                ["funding_rate_per_8h"] = b.FundingRatePer8h,
                ["gap_policy"] = CliParsing.GapsFlagValue(settings.Market.GapPolicy),
            };
            var seeds = isFirm && settings.Forecaster.Enabled ? new Dictionary<string, long> { ["forecaster"] = settings.Forecaster.Seed } : null;
            var report = new BacktestReport(result, benchmark, config, loaded.Report)
            {
                ExtraFiles = extraFiles,
                Halt = halt,
                CanHalt = isFirm,
                Provenance = RunProvenance.Build(settings, parse.Tokens.Select(t => t.Value), inputFiles, seeds),
            };
            BacktestReportWriter.Write(target, report);

            var gapsTotal = loaded.Report.Sum(d => (int)d!["gaps"]!);
            BacktestSummary.Write(stdout, report,
                $"costs: taker {options.Costs.TakerFeeBps} bp, maker {options.Costs.MakerFeeBps} bp, spread {options.Costs.SpreadBps} bp, slippage {options.Costs.SlippageBps} bp, impact {options.Costs.ImpactBps} bp; latency {options.LatencyBars} bar(s); data gaps {gapsTotal} (--gaps {CliParsing.GapsFlagValue(settings.Market.GapPolicy)}); {loaded.Warnings.Count} data warning(s)",
                $"report: {Path.GetFullPath(target)} (report.json, equity.csv, returns.csv, trades.csv, fills.csv, orders.csv, chart.html{(isFirm ? ", decisions.csv, views.csv" : "")})");
            return ExitCodes.Success;
        });
        return command;
    }
}
