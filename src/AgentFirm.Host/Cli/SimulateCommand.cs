using System.CommandLine;
using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm simulate`: writes a seeded synthetic market (OHLCV, headlines, on-chain, truth.json) in the
/// shared data layout, so `backtest --data DIR/ohlcv` and the analysts can run on it.
/// </summary>
public static class SimulateCommand
{
    /// <summary>Runs smaller than this (asset-bars) finish too fast for progress lines to help.</summary>
    private const long ProgressThreshold = 100_000;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var seed = new Option<long>("--seed") { Description = "Random seed: the same options give byte-identical output.", DefaultValueFactory = _ => 42 };
        var days = new Option<int>("--days") { Description = "Number of UTC days to simulate.", DefaultValueFactory = _ => 365 };
        var timeframe = new Option<string>("--timeframe") { Description = "Bar length from 1m to 1d that divides a day (1h, 4h, 1d, ...).", DefaultValueFactory = _ => "1h" };
        var symbols = new Option<string>("--symbols")
        {
            Description = "Comma-separated BASE-QUOTE symbols; BTC, ETH, SOL, BNB, XRP, ADA, DOGE have tuned profiles, others a generic altcoin one.",
            DefaultValueFactory = _ => string.Join(',', AssetProfile.Defaults.Select(a => a.Symbol)),
        };
        var start = new Option<string>("--start") { Description = "First day, midnight UTC (ISO-8601).", DefaultValueFactory = _ => "2020-01-01" };
        var sentimentStrength = new Option<double>("--sentiment-strength")
        {
            Description = "How strongly headline sentiment leads returns (drift per unit latent sentiment, in daily vols); 0 = no signal.",
            DefaultValueFactory = _ => new SimulatorOptions().SentimentStrength,
        };
        var sentimentLead = new Option<int>("--sentiment-lead") { Description = "Days from headlines to the returns they predict (>= 1).", DefaultValueFactory = _ => new SimulatorOptions().SentimentLeadDays };
        var newsVolume = new Option<double>("--news-volume") { Description = "How much volume follows the day's news mood (volume x exp(k s - k^2/2)); 0 = volume follows price moves only.", DefaultValueFactory = _ => 0.0 };
        var plant = new Option<string>("--plant") { Description = "default (the documented planted signals) or none (every strength 0 and no regime drift: a no-signal control with the same volatility, headlines and on-chain series).", DefaultValueFactory = _ => "default" };
        var output = new Option<string>("--out") { Description = "Folder to write (ohlcv/, text/, onchain/, truth.json).", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace the output folder if it exists and is not empty." };

        var command = new Command("simulate", "Write a seeded synthetic crypto market with planted, documented signals (see truth.json).");
        foreach (var option in new Option[] { seed, days, timeframe, symbols, start, sentimentStrength, sentimentLead, newsVolume, plant, output, force })
            command.Options.Add(option);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new SimulatorOptions
            {
                Seed = parse.GetValue(seed),
                Days = parse.GetValue(days),
                Timeframe = ParseTimeframe(parse.GetValue(timeframe)!),
                Start = ParseStart(parse.GetValue(start)!),
                Assets = ParseSymbols(parse.GetValue(symbols)!),
                SentimentStrength = parse.GetValue(sentimentStrength),
                SentimentLeadDays = parse.GetValue(sentimentLead),
                NewsVolumeSensitivity = parse.GetValue(newsVolume),
            };
            options = parse.GetValue(plant)!.ToLowerInvariant() switch
            {
                "default" => options,
                "none" => options.WithoutPlantedSignals(),
                var other => throw new BadInputException($"--plant '{other}' must be default or none."),
            };
            var simulator = new MarketSimulator(options); // validates: bad options are exit 2 before any work
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            var replace = parse.GetValue(force);
            OutputTarget.Folder(parse.GetValue(output)!, replace);

            var assetBars = (long)options.Days * options.BarsPerDay * options.Assets.Count;
            IProgress<SimulationProgress>? progress = assetBars >= ProgressThreshold ? new StderrProgress(stderr) : null;
            var result = await Task.Run(() => simulator.Run(progress, cancellationToken), cancellationToken);
            if (progress is not null) await stderr.WriteLineAsync($"writing {RunPaths.Relative(directory)}");
            SimulationWriter.Write(result, directory, replace);
            await WriteSummary(stdout, result, directory);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Timeframe ParseTimeframe(string text) =>
        Timeframe.TryParse(text, out var tf) ? tf : throw new BadInputException($"Unknown timeframe '{text}': use e.g. 15m, 1h, 4h or 1d.");

    private static DateTimeOffset ParseStart(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start)
            ? start
            : throw new BadInputException($"Start '{text}' is not an ISO-8601 date such as 2020-01-01.");

    private static IReadOnlyList<AssetProfile> ParseSymbols(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new BadInputException("--symbols needs at least one symbol, e.g. BTC-USDT,ETH-USDT.");
        return parts.Select(AssetProfile.For).ToArray();
    }

    private static async Task WriteSummary(TextWriter stdout, SimulationResult result, string directory)
    {
        var o = result.Options;
        var inv = CultureInfo.InvariantCulture;
        await stdout.WriteLineAsync(string.Create(inv, $"simulated {o.Days} days of {o.Timeframe} bars from {CsvFormat.Timestamp(o.Start)}, seed {o.Seed} -> {RunPaths.Relative(directory)}"));
        await stdout.WriteLineAsync($"{"symbol",-12} {"bars",8} {"start",14} {"final close",14} {"daily vol",10} {"bar vol",8} {"target vol",11}");
        foreach (var asset in result.Assets)
        {
            var daily = result.DailyRealisedVolatility(asset);
            var bar = SimulationResult.RealisedVolatility(asset.Bars, o.Timeframe);
            await stdout.WriteLineAsync(string.Create(inv,
                $"{asset.Symbol,-12} {asset.Bars.Count,8} {asset.Profile.StartPrice,14:G8} {asset.Bars[^1].Close,14:G8} {daily,10:P1} {bar,8:P1} {asset.Profile.AnnualVolatility,11:P1}"));
        }
        var noise = result.Headlines.Count(h => h.Symbol is null);
        await stdout.WriteLineAsync(string.Create(inv, $"headlines: {result.Headlines.Count} ({noise} market-wide noise)"));
        var shares = result.RegimeShares();
        await stdout.WriteLineAsync("regime time shares: " + string.Join(", ",
            Enum.GetValues<MarketRegime>().Select(r => string.Create(inv, $"{SimulationWriter.Name(r)} {shares[(int)r]:P1}"))));
        await stdout.WriteLineAsync("planted (truth.json): " + string.Join("; ",
            result.Planted.Select(p => string.Create(inv, $"{p.Name} {(p.Sign >= 0 ? "+" : "-")}{p.Coefficient} lag {p.LagDays}d"))));
    }

    /// <summary>Progress lines on stderr, written synchronously so they appear in order.</summary>
    private sealed class StderrProgress(TextWriter stderr) : IProgress<SimulationProgress>
    {
        public void Report(SimulationProgress value) =>
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"simulating: {(int)(value.Fraction * 100)}% (day {value.DaysDone}/{value.DaysTotal})"));
    }
}
