using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.Features;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm features --data FILE --set core|all --out features.csv`: the as-of feature table of one OHLCV
/// file (any format BarLoader reads) as CSV, timestamp then the set's columns, empty cells during warm-up.
/// A one-line summary goes to stdout.
/// </summary>
public static class FeaturesCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string>("--data") { Description = "OHLCV file: shared-schema CSV (.csv/.csv.gz), Binance kline CSV or Parquet", Required = true };
        var set = new Option<string>("--set") { Description = "Feature set: core (17 columns) or all (core, ADX/Keltner/OBV/MFI/VWAP and Alpha158-style)", DefaultValueFactory = _ => "core" };
        var output = new Option<string>("--out") { Description = "CSV to write (replaced atomically)", Required = true };
        var timeframe = new Option<string?>("--timeframe") { Description = "Bar timeframe (default: inferred from the file)" };
        var gaps = new Option<string>("--gaps") { Description = "Gap policy: carry (filler bars at the last close, the default), fail or skip", DefaultValueFactory = _ => "carry" };
        var periods = new Option<double>("--periods-per-year") { Description = "Annualisation of rv20/parkinson20/garman_klass20 (issue 5: 365)", DefaultValueFactory = _ => 365 };
        var zscore = new Option<int?>("--zscore") { Description = "Replace every column by its rolling z-score over this many past rows, the current row excluded (past-only scaling)" };
        var force = OutputTarget.ForceOption();
        var command = new Command("features", "Compute the as-of feature table of an OHLCV file.") { data, set, output, timeframe, gaps, periods, zscore, force };
        command.SetAction(parse =>
        {
            OutputTarget.File(parse.GetValue(output)!, parse.GetValue(force));
            var file = parse.GetValue(data)!;
            var kind = ParseSet(parse.GetValue(set)!);
            var gapPolicy = CliParsing.Gaps(parse.GetValue(gaps)!);
            var perYear = parse.GetValue(periods);
            if (!(perYear > 0) || !double.IsFinite(perYear)) throw new BadInputException($"--periods-per-year must be positive, got {perYear}.");
            var tf = parse.GetValue(timeframe) is { } text ? CliParsing.Timeframe(text) : (Timeframe?)null;

            var loaded = BarLoader.Load(file, new LoadOptions { Timeframe = tf, Gaps = gapPolicy });
            var clock = Stopwatch.StartNew();
            var window = parse.GetValue(zscore);
            if (window is < 2) throw new BadInputException($"--zscore must be at least 2 rows, got {window}.");
            var table = FeatureSets.Compute(loaded.Bars, kind, perYear);
            if (window is { } w) table = Normalisation.RollingZScore(table, w, excludeCurrent: true);
            var seconds = clock.Elapsed.TotalSeconds;
            var outPath = parse.GetValue(output)!;
            FeatureCsvWriter.Write(outPath, table);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"features: {table.Rows} bars x {table.Names.Count} columns ({kind.ToString().ToLowerInvariant()}{(window is { } z ? $", rolling z-score over the previous {z} rows" : "")}) from {file} -> {outPath}; computed in {seconds:0.000} s; every column defined from bar {FeatureSets.WarmUpPeriod(kind) + (window ?? 0)}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static FeatureSetKind ParseSet(string text)
    {
        try { return FeatureSets.Parse(text); }
        catch (ArgumentException) { throw new BadInputException($"--set '{text}' must be core or all."); }
    }
}
