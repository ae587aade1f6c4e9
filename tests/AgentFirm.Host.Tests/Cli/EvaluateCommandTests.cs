using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>
/// One evaluate run on a short simulated market (200 daily bars of BTC and ETH, 60 of them warm-up),
/// shared by the end-to-end checks below: the firm and its ten variants take about 20 s on two cores.
/// </summary>
public sealed class EvaluatedMarket : IDisposable
{
    public static readonly string[] VariantNames =
    [
        "firm", "buyhold", "voltarget", "only-technical", "only-sentiment", "only-onchain", "only-causal",
        "without-technical", "without-sentiment", "without-onchain", "without-causal",
    ];

    private readonly TempFolder _folder = new();

    public EvaluatedMarket()
    {
        Sim = _folder.File("sim");
        Out = _folder.File("eval");
        var simulate = CliRunner.RunAsync("simulate", "--seed", "7", "--days", "200", "--timeframe", "1d", "--symbols", "BTC-USDT,ETH-USDT", "--out", Sim).GetAwaiter().GetResult();
        if (simulate.ExitCode != 0) throw new InvalidOperationException(simulate.Stderr);
        var run = CliRunner.RunAsync(Args(Out)).GetAwaiter().GetResult();
        (ExitCode, Stdout, Stderr) = (run.ExitCode, run.Stdout, run.Stderr);
    }

    public string Sim { get; }
    public string Out { get; }
    public int ExitCode { get; }
    public string Stdout { get; }
    public string Stderr { get; }

    public string[] Args(string outDir, params string[] more) =>
        ["evaluate", "--data", Path.Combine(Sim, "ohlcv"), "--symbols", "BTC-USDT,ETH-USDT", "--timeframe", "1d", "--from", "2020-03-01", "--warmup", "60", "--out", outDir, .. more];

    public string Scratch(string name) => _folder.File(name);

    public JsonNode Json => JsonNode.Parse(File.ReadAllText(Path.Combine(Out, "evaluate.json")))!;

    public JsonNode Variant(string name) => Json["variants"]!.AsArray().Single(v => (string)v!["name"]! == name)!;

    public void Dispose() => _folder.Dispose();
}

/// <summary>The evaluate run keeps both cores busy for a while: run it alone, so timing-sensitive tests elsewhere are not starved.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EvaluateCollection
{
    public const string Name = "evaluate end to end";
}

[Collection(EvaluateCollection.Name)]
public sealed class EvaluateCommandTests(EvaluatedMarket market) : IClassFixture<EvaluatedMarket>
{
    [Fact]
    public void Every_variant_appears_in_the_table_the_json_the_returns_and_the_chart()
    {
        Assert.True(market.ExitCode == 0, market.Stderr);
        var csv = File.ReadAllLines(Path.Combine(market.Out, "evaluate.csv"));
        Assert.Equal(EvaluatedMarket.VariantNames, csv.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Equal("variant,kind,sharpe,sortino,max_drawdown,cagr,exposure,turnover,costs_paid", string.Join(',', csv[0].Split(',').Take(9)));
        Assert.All(csv.Skip(1), l => Assert.All(l.Split(',').Skip(2), cell => double.Parse(cell, CultureInfo.InvariantCulture)));

        Assert.Equal(EvaluatedMarket.VariantNames, market.Json["variants"]!.AsArray().Select(v => (string)v!["name"]!));
        var returns = File.ReadAllLines(Path.Combine(market.Out, "returns.csv"));
        Assert.Equal(EvaluatedMarket.VariantNames.Prepend("timestamp"), returns[0].Split(','));
        Assert.Equal((int)market.Json["periods"]!, returns.Length - 1);
        Assert.StartsWith("2020-03-03", returns[1]); // the first return ends a day after the first traded close

        var html = File.ReadAllText(Path.Combine(market.Out, "evaluate.html"));
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
        Assert.All(EvaluatedMarket.VariantNames, name => Assert.Contains($"<title>{name}</title>", html));
        Assert.All(EvaluatedMarket.VariantNames, name => Assert.Contains(name, market.Stdout));
        Assert.Equal(9, Directory.GetFiles(Path.Combine(market.Out, "decisions"), "*.csv").Length);
        Assert.Contains("variant 1 of 11", market.Stderr);
        Assert.Contains("variant 11 of 11", market.Stderr);
    }

    [Fact]
    public void The_firm_without_each_analyst_decides_and_scores_differently_from_the_firm()
    {
        var firm = market.Variant("firm");
        foreach (var analyst in new[] { "technical", "sentiment", "onchain", "causal" })
        {
            var without = market.Variant($"without-{analyst}");
            Assert.DoesNotContain(analyst, without["analysts"]!.AsArray().Select(a => (string)a!));
            Assert.Equal(new[] { analyst }, market.Variant($"only-{analyst}")["analysts"]!.AsArray().Select(a => (string)a!));
            Assert.NotEqual((string)firm["decisions"]!["sha256"]!, (string)without["decisions"]!["sha256"]!);
            var row = (Sharpe: (double)without["sharpe"]!, Trades: (int)without["trades"]!, Costs: (double)without["costs_paid"]!);
            Assert.NotEqual(((double)firm["sharpe"]!, (int)firm["trades"]!, (double)firm["costs_paid"]!), row);
        }
    }

    [Fact]
    public void Contributions_are_the_firm_sharpe_minus_the_ablated_sharpe_with_an_interval()
    {
        var contributions = market.Json["contributions"]!.AsArray();
        Assert.Equal(new[] { "technical", "sentiment", "onchain", "causal" }, contributions.Select(c => (string)c!["agent"]!));
        var firmSharpe = (double)market.Variant("firm")["sharpe"]!;
        foreach (var c in contributions)
        {
            var without = (double)market.Variant((string)c!["without_variant"]!)["sharpe"]!;
            Assert.Equal(firmSharpe, (double)c["firm_sharpe"]!, 12);
            Assert.Equal(without, (double)c["without_sharpe"]!, 12);
            Assert.Equal(firmSharpe - without, (double)c["contribution"]!, 12);
            Assert.True((double)c["lower"]! <= (double)c["upper"]!);
            Assert.True((double)c["standard_error"]! >= 0);
        }
    }

    [Fact]
    public void Deflated_sharpe_counts_every_variant_and_uses_the_variance_of_their_per_period_sharpe_ratios()
    {
        // Independent computation from returns.csv: per-period Sharpe = mean / sample deviation (0 for a flat column).
        var rows = File.ReadAllLines(Path.Combine(market.Out, "returns.csv")).Skip(1)
            .Select(l => l.Split(',').Skip(1).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var sharpes = Enumerable.Range(0, EvaluatedMarket.VariantNames.Length).Select(v =>
        {
            var column = rows.Select(r => r[v]).ToArray();
            var mean = column.Average();
            var sd = Math.Sqrt(column.Sum(x => (x - mean) * (x - mean)) / (column.Length - 1));
            return sd > 0 ? mean / sd : 0;
        }).ToArray();
        var average = sharpes.Average();
        var variance = sharpes.Sum(s => (s - average) * (s - average)) / (sharpes.Length - 1);

        var dsr = market.Json["deflated_sharpe"]!;
        Assert.Equal(11, (int)dsr["trials"]!);
        Assert.Equal(variance, (double)dsr["trials_sr_variance"]!, 1e-12);
        Assert.Equal(sharpes[0], (double)dsr["sr"]!, 1e-12);
        Assert.InRange((double)dsr["dsr"]!, 0, 1);
        Assert.True((double)dsr["dsr"]! < (double)dsr["psr"]!); // deflating for 11 trials can only lower it

        var pbo = market.Json["pbo"]!;
        Assert.InRange((double)pbo["pbo"]!, 0, 1);
        Assert.Equal(16, (int)pbo["partitions"]!);
        Assert.Equal(12870, (int)pbo["combinations"]!); // C(16, 8)
    }

    [Fact]
    public void The_json_states_the_config_the_data_checksums_and_the_warm_up_span()
    {
        var json = market.Json;
        Assert.Equal("60 bars", (string)json["config"]!["warmup"]!);
        Assert.Equal(10.0, (double)json["config"]!["taker_fee_bps"]!);
        Assert.All(json["data"]!.AsArray(), d => Assert.Equal(64, ((string)d!["sha256"]!).Length));
        Assert.Contains(json["side_data"]!.AsArray(), f => ((string)f!["file"]!).EndsWith("headlines.csv") && ((string)f["sha256"]!).Length == 64);
        var warmup = json["warmup"]!;
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)warmup["first_bar"]!);
        Assert.Equal(new DateTimeOffset(2020, 3, 1, 0, 0, 0, TimeSpan.Zero), (DateTimeOffset)warmup["trade_from"]!);
        Assert.Equal(60, (int)warmup["bars"]!["BTC-USDT"]!);
        Assert.Equal("60 bars", (string)warmup["requested"]!);
        Assert.True((bool)warmup["complete"]!);
    }

    [Fact]
    public void The_json_records_the_provenance_rerun_repeats()
    {
        var provenance = market.Json["provenance"]!;
        Assert.Equal(market.Args(market.Out), provenance["command_line"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("0.15", (string)provenance["configuration"]!["AgentFirm:Risk:MaxDrawdown"]!);
        Assert.Contains(provenance["data_files"]!.AsArray(), f => ((string)f!["file"]!).EndsWith("headlines.csv"));
        Assert.Equal(1, (long)provenance["seeds"]!["bootstrap"]!);
    }

    [Fact]
    public async Task Rerun_of_an_evaluate_run_reproduces_it_bit_for_bit_under_its_recorded_settings()
    {
        // the rerun is started with a 2 % drawdown limit, which the firm's recorded run exceeded: only the recorded
        // 15 % (from the report) can give the same returns
        Assert.True((double)market.Variant("firm")["max_drawdown"]! > 0.02, "the firm must draw down more than the rerun's limit for this test to mean anything");
        var again = market.Scratch("eval-rerun");

        var rerun = await CliRunner.RunWithSettingsAsync([new("AgentFirm:Risk:MaxDrawdown", "0.02")], "rerun", market.Out, "--out", again);

        Assert.True(rerun.ExitCode == 0, rerun.Stderr + rerun.Stdout);
        foreach (var file in new[] { "returns.csv", "evaluate.csv", "decisions/firm.csv", "decisions/without-causal.csv" })
        {
            Assert.Contains($"identical: {file} of the rerun matches", rerun.Stdout);
            Assert.Equal(File.ReadAllBytes(Path.Combine(market.Out, file)), File.ReadAllBytes(Path.Combine(again, file)));
        }
        Assert.DoesNotContain("different:", rerun.Stdout);
    }

    [Fact]
    public async Task Buy_and_hold_matches_backtest_buyhold_on_the_same_span()
    {
        var outDir = market.Scratch("bh");
        var run = await CliRunner.RunAsync("backtest", "--data", Path.Combine(market.Sim, "ohlcv"), "--symbols", "BTC-USDT,ETH-USDT", "--timeframe", "1d",
            "--from", "2020-03-01", "--warmup", "60", "--strategy", "buyhold", "--out", outDir);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        var metrics = market.Variant("buyhold")["metrics"]!;
        foreach (var key in new[] { "sharpe", "sortino", "max_drawdown", "cagr", "exposure", "turnover", "fees_paid", "slippage_paid", "final_equity", "fills", "periods" })
            Assert.True(JsonNode.DeepEquals(report[key], metrics[key]), $"{key}: backtest {report[key]} vs evaluate {metrics[key]}");
    }

    [Fact]
    public async Task An_existing_out_folder_is_refused_without_force_before_any_work()
    {
        var run = await CliRunner.RunAsync(market.Args(market.Out));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--force", run.Stderr);
        Assert.DoesNotContain("variant", run.Stderr);
        Assert.Equal("", run.Stdout);
    }
}

public sealed class EvaluateBadInputTests
{
    private static string Folder(TempFolder folder)
    {
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var rows = Enumerable.Range(0, 60).Select(i => string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{100 + i},{101 + i},{99 + i},{100 + i},1000"));
        var path = folder.File("data/1d/BTC-USDT.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", rows) + "\n");
        return folder.File("data");
    }

    [Theory]
    [InlineData("--symbols", "BTC-USDT,DOGE-USDT", "DOGE-USDT")]
    [InlineData("--symbols", "BTC_USDT", "--symbols")]
    [InlineData("--from", "2025-01-01", "0 bars")]
    [InlineData("--warmup", "lots", "--warmup")]
    [InlineData("--to", "2023-06-01", "--from")]
    [InlineData("--partitions", "5", "--partitions")]
    public async Task Bad_input_exits_2_before_any_work(string flag, string value, string named)
    {
        using var folder = new TempFolder();
        var data = Folder(folder);
        var args = new List<string> { "evaluate", "--data", data, "--timeframe", "1d", "--from", "2024-01-20", "--out", folder.File("out") };
        if (flag != "--symbols") args.AddRange(["--symbols", "BTC-USDT"]);
        if (flag == "--from") args.RemoveRange(args.IndexOf("--from"), 2);
        args.AddRange([flag, value]);

        var run = await CliRunner.RunAsync(args.ToArray());

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Stderr);
        Assert.DoesNotContain("variant 1", run.Stderr);
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public async Task A_non_empty_out_folder_without_force_exits_2_and_is_left_alone()
    {
        using var folder = new TempFolder();
        var data = Folder(folder);
        var outDir = folder.File("out");
        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, "keep.txt"), "mine");

        var run = await CliRunner.RunAsync("evaluate", "--data", data, "--symbols", "BTC-USDT", "--from", "2024-01-20", "--out", outDir);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--force", run.Stderr);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(outDir, "keep.txt")));
    }
}
