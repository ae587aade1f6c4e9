using System.CommandLine;
using AgentFirm.Core;
using AgentFirm.Quant.OnChain;
using AgentFirm.Quant.Panels;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm causal-panel`: the input table of `agentfirm causal` built from bar files and on-chain exports: per
/// asset NAME_ret (log return) and NAME_lvol (log volume change), then the chosen on-chain metrics (log changes of
/// growing levels, levels of bounded rates). One row per bar step; missing values are empty cells, never filled.
/// </summary>
public static class CausalPanelCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string>("--data") { Description = "Folder laid out as DIR/<timeframe>/<SYMBOL>.csv[.gz] (e.g. ../shared/data/ohlcv)", Required = true };
        var symbols = new Option<string>("--symbols") { Description = "Comma-separated symbols, e.g. BTC-USDT,ETH-USDT; columns are named after the base currency", Required = true };
        var timeframe = new Option<string>("--timeframe") { Description = "Bar interval: 1h, 4h, 1d", DefaultValueFactory = _ => "1d" };
        var from = new Option<string?>("--from") { Description = "First step (bar open time), yyyy-MM-dd or ISO-8601, UTC; default the earliest bar" };
        var to = new Option<string?>("--to") { Description = "Last step; a bare date includes that day; default the latest bar" };
        var onChain = new Option<string[]>("--onchain") { Description = "On-chain CSV files on the same step, earlier files winning where two give a metric (repeat or comma-separate)", AllowMultipleArgumentsPerToken = true };
        var metrics = new Option<string?>("--metrics") { Description = $"On-chain metrics to include, comma-separated: {string.Join(", ", CausalPanelBuilder.KnownMetrics)}; default every one the files hold" };
        var noVolume = new Option<bool>("--no-volume") { Description = "Leave out the log volume changes" };
        var noTimestamp = new Option<bool>("--no-timestamp") { Description = "Leave out the leading timestamp column" };
        var output = new Option<string?>("--out") { Description = "Output CSV (default: stdout)" };
        var force = OutputTarget.ForceOption();
        var command = new Command("causal-panel", "Build the CSV panel of log returns, log volume changes and on-chain metrics that `agentfirm causal` reads.")
        {
            data, symbols, timeframe, from, to, onChain, metrics, noVolume, noTimestamp, output, force,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(output) is { } target) OutputTarget.File(target, parse.GetValue(force));
            var tf = CliParsing.Timeframe(parse.GetValue(timeframe)!);
            var start = CliParsing.Time(parse.GetValue(from), "--from");
            var end = CliParsing.Time(parse.GetValue(to), "--to", endOfDay: true);
            if (start > end) throw new BadInputException($"--from {start:O} is after --to {end:O}.");
            var instruments = CliParsing.Symbols(parse.GetValue(symbols));
            if (instruments.Count == 0) throw new BadInputException("--symbols names no symbol.");
            if (instruments.Select(i => i.BaseCurrency).Distinct(StringComparer.OrdinalIgnoreCase).Count() != instruments.Count)
                throw new BadInputException("--symbols: two symbols share a base currency, so their columns would share a name.");
            // one bar before --from, so the first row has its return and volume change
            var loaded = BacktestData.Load(parse.GetValue(data)!, instruments, tf, start - tf.Duration, end, AgentFirmSettings.Load().Market);

            var files = (parse.GetValue(onChain) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var sources = files.Select(f =>
            {
                var rows = OnChainCsvLoader.Load(f);
                if (rows.Count > 0 && rows[0].KnownAt - rows[0].Time != tf.Duration)
                    throw new BadInputException($"{f}: rows are {rows[0].KnownAt - rows[0].Time} apart but the panel step (--timeframe) is {tf}; give files on the panel's step.");
                return rows;
            }).ToArray();
            var rows = sources.Length == 0 ? [] : OnChainCsvLoader.Merge(sources);
            var chosen = parse.GetValue(metrics) is { } m
                ? m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : CausalPanelBuilder.KnownMetrics.Where(name => rows.Any(r => OnChainSeriesNames.Values(r).Any(v => v.Metric == name))).ToArray();
            if (chosen.Length > 0 && sources.Length == 0) throw new BadInputException("--metrics needs --onchain files to read them from.");

            var panel = CausalPanelBuilder.Build(
                loaded.Market.Select(s => (s.Instrument.BaseCurrency, (IReadOnlyList<Bar>)s.Bars)).ToArray(), rows, chosen, tf.Duration,
                start ?? loaded.Market.Min(s => s.Bars[0].Time), end ?? loaded.Market.Max(s => s.Bars[^1].Time), volume: !parse.GetValue(noVolume));

            var path = parse.GetValue(output);
            if (path is null) panel.WriteCsv(stdout, !parse.GetValue(noTimestamp));
            else
            {
                if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } dir) Directory.CreateDirectory(dir);
                using var writer = new StreamWriter(path);
                panel.WriteCsv(writer, !parse.GetValue(noTimestamp));
            }
            stderr.WriteLine($"causal-panel: {panel.Times.Count} rows ({panel.CompleteRows} complete) x {panel.Names.Count} variables: {string.Join(", ", panel.Names)}{(path is null ? "" : $" -> {path}")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
