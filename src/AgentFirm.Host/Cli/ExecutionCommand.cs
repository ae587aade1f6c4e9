using System.CommandLine;
using System.Globalization;
using System.Text;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Market.Simulation;
using AgentFirm.Models.Deep;
using AgentFirm.Models.Deep.Execution;
using AgentFirm.Quant.Execution;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm execution train` trains the RL execution agent on simulated minute bars and saves its policy;
/// `agentfirm execution compare` works the same parent orders with market, TWAP, VWAP, limit-peg (and the RL
/// policy, given one) on simulated seeds or on a data folder, and prints implementation shortfall per algorithm.
/// </summary>
public static class ExecutionCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("execution", "Execution algorithms on the sub-step venue: train the RL agent, compare implementation shortfall.");
        command.Subcommands.Add(Train(stdout, stderr));
        command.Subcommands.Add(Compare(stdout, stderr));
        return command;
    }

    private sealed record Common(Option<string> Symbol, Option<int> Days, Option<string> Horizon, Option<string> Every, Option<double> Participation, Option<double> QueueAhead);

    private static Common AddCommon(Command command, string horizon, string every)
    {
        var c = new Common(
            new Option<string>("--symbol") { Description = "Instrument (a simulator profile or a file in --data).", DefaultValueFactory = _ => "BTC-USDT" },
            new Option<int>("--days") { Description = "Simulated days per seed (the first day only sizes orders).", DefaultValueFactory = _ => 10 },
            new Option<string>("--horizon") { Description = "How long each parent order is worked (e.g. 1h, 1d).", DefaultValueFactory = _ => horizon },
            new Option<string>("--every") { Description = "Time between parent decisions.", DefaultValueFactory = _ => every },
            new Option<double>("--participation") { Description = "Parent size as a share of the volume its horizon usually trades.", DefaultValueFactory = _ => 0.05 },
            new Option<double>("--queue-ahead") { Description = "Share of a typical sub-step's volume resting ahead of a new passive child.", DefaultValueFactory = _ => 0.25 });
        foreach (var o in new Option[] { c.Symbol, c.Days, c.Horizon, c.Every, c.Participation, c.QueueAhead }) command.Options.Add(o);
        return c;
    }

    private static Command Train(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("train", "Train the RL execution agent (PPO) on simulated minute bars and save its policy.");
        var common = AddCommon(command, "1h", "2h");
        var seeds = new Option<string>("--seeds") { Description = "Simulator seeds to train on (e.g. 1-4 or 1,2,5).", DefaultValueFactory = _ => "1-4" };
        var validation = new Option<string>("--validation-seeds") { Description = "Simulator seeds whose parents pick the best iteration (keep them apart from the test seeds).", DefaultValueFactory = _ => "51-52" };
        var iterations = new Option<int>("--iterations") { Description = "PPO iterations.", DefaultValueFactory = _ => new PpoSettings().Iterations };
        var seed = new Option<long>("--seed") { Description = "Seed for the initial weights and the sampling.", DefaultValueFactory = _ => 7 };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda (cuda without a CUDA libtorch falls back to cpu, said on stderr).", DefaultValueFactory = _ => "auto" };
        var output = new Option<string>("--out") { Description = "Policy file to write.", Required = true };
        foreach (var o in new Option[] { seeds, validation, iterations, seed, device, output }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var spec = Spec(parse, common, seed: 0);
            var venue = Venue(parse, common);
            var settings = new PpoSettings { Iterations = parse.GetValue(iterations), Seed = parse.GetValue(seed), Device = Device(parse.GetValue(device)!) };
            settings.Validate();
            var train = Seeds(parse.GetValue(seeds)!, "--seeds").Select(s => Simulated(parse, common, s, spec)).ToArray();
            var check = Seeds(parse.GetValue(validation)!, "--validation-seeds").Select(s => Simulated(parse, common, s, spec)).ToArray();
            var trainer = new PpoExecutionTrainer(settings, venue, message => stderr.WriteLine(message));
            var path = parse.GetValue(output)!;
            OutputTarget.File(path, force: true);
            PolicyNetwork? policy = null;
            var p = await Task.Run(() => trainer.Train(train, check, out policy), ct);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            policy!.Save(path);
            await stdout.WriteLineAsync(string.Create(Inv,
                $"trained {p.Iterations} iterations ({p.Transitions} decisions) on {p.Device} in {p.Elapsed.TotalSeconds:F1} s; best validation {p.BestValidationBps:F2} bp at iteration {p.BestIteration} (TWAP {p.TwapValidationBps:F2} bp) -> {RunPaths.Relative(path)}"));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Compare(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("compare", "Implementation shortfall of market, TWAP, VWAP, limit-peg (and RL) on the same parent orders.");
        var common = AddCommon(command, "1h", "2h");
        var seeds = new Option<string>("--seeds") { Description = "Simulator seeds (each a held-out market of --days minute bars).", DefaultValueFactory = _ => "101-110" };
        var data = new Option<string?>("--data") { Description = "An OHLCV folder (DIR/<timeframe>/<SYMBOL>.csv) instead of simulated seeds." };
        var timeframe = new Option<string>("--timeframe") { Description = "Sub-step bars read from --data.", DefaultValueFactory = _ => "1h" };
        var from = new Option<string?>("--from") { Description = "First decision (with --data), ISO-8601." };
        var to = new Option<string?>("--to") { Description = "End of the span (with --data), ISO-8601." };
        var model = new Option<string?>("--rl-model") { Description = "A policy file from `execution train`; adds the rl row." };
        var sampleSeed = new Option<long>("--seed") { Description = "Seed for the parents' sides.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Also write per-parent results (CSV) here." };
        foreach (var o in new Option[] { seeds, data, timeframe, from, to, model, sampleSeed, output }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var venue = Venue(parse, common);
            var policy = parse.GetValue(model) is { } path ? PolicyNetwork.Load(path) : null;
            IExecutionAlgorithm[] Algorithms(int horizonSteps)
            {
                var list = new List<IExecutionAlgorithm> { new MarketNow(), new Twap(), new Vwap(), new LimitPeg(Math.Max(1, horizonSteps / 2)) };
                if (policy is not null) list.Add(new RlExecution(policy));
                return list.ToArray();
            }
            var runs = new List<(string Market, Dictionary<string, List<ParentOrderResult>> Results)>();
            if (parse.GetValue(data) is { } folder)
            {
                var tf = CliParsing.Timeframe(parse.GetValue(timeframe)!);
                var symbol = parse.GetValue(common.Symbol)!;
                var file = OhlcvDirectory.Resolve(folder, symbol, tf);
                var bars = BarLoader.Load(file, new LoadOptions { Timeframe = tf, Gaps = GapPolicy.Skip, Symbol = symbol }).Bars;
                var start = CliParsing.Time(parse.GetValue(from), "--from") ?? bars[0].Time.AddDays(30);
                var end = CliParsing.Time(parse.GetValue(to), "--to", endOfDay: true) ?? bars[^1].CloseTime;
                var spec = Spec(parse, common, parse.GetValue(sampleSeed)) with { From = start, To = end };
                var parents = ExecutionStudy.Parents(bars, symbol, spec);
                if (parents.Count == 0) throw new BadInputException($"--from/--to leave no parent order in {RunPaths.Relative(file)}.");
                runs.Add((symbol, await Task.Run(() => ExecutionStudy.Run(bars, parents, Algorithms((int)(spec.Horizon / tf.Duration)), venue), ct)));
            }
            else
            {
                foreach (var s in Seeds(parse.GetValue(seeds)!, "--seeds"))
                {
                    var spec = Spec(parse, common, s);
                    var episodes = Simulated(parse, common, s, spec);
                    runs.Add(($"seed {s}", await Task.Run(() => ExecutionStudy.Run(episodes.Bars, episodes.Parents, Algorithms((int)(spec.Horizon / TimeSpan.FromMinutes(1))), venue), ct)));
                }
            }
            await stdout.WriteAsync(Table(runs, venue));
            if (parse.GetValue(output) is { } csv)
            {
                OutputTarget.File(csv, force: true);
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(csv))!);
                await File.WriteAllTextAsync(csv, Csv(runs), ct);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// One row per algorithm: Perold's shortfall over all parents, the same with the venue's cleanup charge on what did
    /// not fill (the column the comparison uses), the spread of the per-market means (across seeds), the paired
    /// difference against TWAP on the same parents with its standard error, the arrival-price benchmark and the parts.
    /// </summary>
    private static string Table(List<(string Market, Dictionary<string, List<ParentOrderResult>> Results)> runs, VenueModel venue)
    {
        double Cost(ParentOrderResult r) => r.Shortfall.TotalBps + (1 - r.Shortfall.FilledShare) * venue.CleanupCostBps;
        var sb = new StringBuilder();
        var names = runs[0].Results.Keys.ToArray();
        sb.AppendLine("| algorithm | parents | IS bps | IS + cleanup bps | sd of seed means | vs TWAP (paired) | vs arrival bps | fees bps | spread+impact bps | opportunity bps | filled |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var name in names)
        {
            var all = runs.SelectMany(r => r.Results[name]).ToList();
            var s = ExecutionStudy.Summarise(name, all);
            var means = runs.Select(r => r.Results[name].Count > 0 ? r.Results[name].Average(Cost) : double.NaN).Where(double.IsFinite).ToArray();
            var diffs = runs.SelectMany(r => r.Results[name].Zip(r.Results["twap"], (a, b) => Cost(a) - Cost(b))).ToArray();
            var paired = name == "twap" ? "0" : diffs.Length == 0 ? "n/a" : string.Create(Inv, $"{diffs.Average():+0.00;-0.00} ± {Sd(diffs) / Math.Sqrt(diffs.Length):F2}");
            sb.AppendLine(string.Create(Inv,
                $"| {name} | {s.Parents} | {s.MeanBps:F2} | {(all.Count > 0 ? all.Average(Cost) : double.NaN):F2} | {Sd(means):F2} | {paired} | {s.ArrivalBps:F2} | {s.FeesBps:F2} | {s.ImpactBps:F2} | {s.OpportunityBps:F2} | {s.FilledShare:P1} |"));
        }
        return sb.ToString();
    }

    private static double Sd(double[] x)
    {
        if (x.Length < 2) return double.NaN;
        var m = x.Average();
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Length - 1));
    }

    private static string Csv(List<(string Market, Dictionary<string, List<ParentOrderResult>> Results)> runs)
    {
        var sb = new StringBuilder("market,algorithm,decision_time,side,quantity,decision_price,arrival_price,end_price,filled,average_fill,fees,impact,is_bps,arrival_bps\n");
        foreach (var (market, results) in runs)
            foreach (var (name, list) in results)
                foreach (var r in list)
                {
                    var s = r.Shortfall;
                    sb.AppendLine(string.Create(Inv,
                        $"{market},{name},{CsvFormat.Timestamp(r.Parent.DecisionTime)},{s.Side},{s.Quantity:G9},{s.DecisionPrice:G9},{s.ArrivalPrice:G9},{s.EndPrice:G9},{s.FilledQuantity:G9},{s.AverageFillPrice:G9},{s.Fees:G9},{s.ImpactCost:G9},{s.TotalBps:G6},{s.ArrivalBps:G6}"));
                }
        return sb.ToString();
    }

    private static StudySpec Spec(ParseResult parse, Common c, long seed)
    {
        var spec = new StudySpec(SimulatorOptions.DefaultStart.AddDays(1), SimulatorOptions.DefaultStart.AddDays(parse.GetValue(c.Days)),
            Span(parse.GetValue(c.Every)!, "--every"), Span(parse.GetValue(c.Horizon)!, "--horizon"), parse.GetValue(c.Participation), seed);
        try { spec.Validate(); }
        catch (ArgumentException ex) { throw new BadInputException($"--days/--every/--horizon/--participation: {ex.Message}"); }
        return spec;
    }

    private static VenueModel Venue(ParseResult parse, Common c)
    {
        var venue = new VenueModel { QueueAheadShare = parse.GetValue(c.QueueAhead) };
        try { venue.Validate(); }
        catch (ArgumentException ex) { throw new BadInputException($"--queue-ahead: {ex.Message}"); }
        return venue;
    }

    private static ExecutionEpisodes Simulated(ParseResult parse, Common c, long seed, StudySpec spec)
    {
        var symbol = parse.GetValue(c.Symbol)!;
        var days = parse.GetValue(c.Days);
        if (days < 2) throw new BadInputException($"--days must be at least 2 (the first day sizes the orders), got {days}.");
        var result = new MarketSimulator(new SimulatorOptions
        {
            Seed = seed, Days = days, Timeframe = Timeframe.Minute, Assets = [AssetProfile.For(symbol)],
        }).Run();
        var bars = result.Assets[0].Bars as Bar[] ?? result.Assets[0].Bars.ToArray();
        return new ExecutionEpisodes(bars, ExecutionStudy.Parents(bars, symbol, spec with { Seed = seed }));
    }

    private static long[] Seeds(string text, string flag)
    {
        var seeds = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var dash = part.IndexOf('-', 1);
            if (dash > 0 && long.TryParse(part[..dash], Inv, out var lo) && long.TryParse(part[(dash + 1)..], Inv, out var hi) && hi >= lo && hi - lo < 1_000)
                for (var s = lo; s <= hi; s++) seeds.Add(s);
            else if (long.TryParse(part, Inv, out var one)) seeds.Add(one);
            else throw new BadInputException($"{flag}: '{part}' is not a seed or a range such as 101-110.");
        }
        return seeds.Count > 0 ? seeds.ToArray() : throw new BadInputException($"{flag} needs at least one seed.");
    }

    private static TimeSpan Span(string text, string flag) =>
        Timeframe.TryParse(text, out var tf) ? tf.Duration : throw new BadInputException($"{flag} '{text}' is not a duration such as 30m, 1h or 1d.");

    private static DeviceChoice Device(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceChoice.Auto,
        "cpu" => DeviceChoice.Cpu,
        "cuda" => DeviceChoice.Cuda,
        _ => throw new BadInputException($"--device '{text}' must be auto, cpu or cuda."),
    };
}
