using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFirm.Core;
using AgentFirm.Models.Sentiment.Onnx;
using Microsoft.Extensions.Configuration;
using Xunit.Abstractions;
using AgentFirm.TestSupport;
using AgentFirm.TestSupport.Exchange;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>
/// Runs every fenced command block of README.md once, in README order (later commands read what earlier ones wrote),
/// and keeps what each printed, for the checks in <see cref="ReadmeTests"/> (issue 16: a README that proves itself).
///
/// How each kind of line is run:
/// - `agentfirm ARGS` and `dotnet run --project src/AgentFirm.Host -- ARGS`: the real command line, in-process.
/// - `dotnet run --project src/AgentFirm.Host` (no verb, the live host, which runs until Ctrl+C): bounded to the very
///   run the README quotes its first fill from (`--speed S --steps N`, seed), on a free port.
/// - `dotnet test AgentFirm.sln`: not run (this test is part of it); checked for parse: the solution exists and lists
///   every test project.
/// - `pip install ...` and `optimum-cli export ...`: not run (Python tooling and a model download; no network here).
/// - `AgentFirm__Section__Key=value` lines: not commands; checked that each names a real AgentFirm setting.
///
/// Substitutions, each explicit, minimal and needed (<see cref="Substitute"/>):
/// 1. `../shared/data` becomes <see cref="SharedData.Root"/>: the test runs in its bin folder, not beside the checkout's
///    root that the README's relative paths assume.
/// 2. `out/` becomes a scratch folder's `out/`: a test must not write into the checkout (nor find a user's earlier runs).
/// 3. The evaluate example's `simulate --days 930` becomes `--days 300`: ten firm variants on 730 scored days take
///    minutes on two cores; 300 days keep its `--from 2020-07-19` and 200-day warm-up (100 scored days).
/// 4. The live host gets `--speed 200 --steps 720 --seed 42` (read from the README's sentence), `--urls` on port 0 and
///    its database in the scratch folder: it would otherwise run until Ctrl+C on port 5080 with state in ./data.
/// 5. `download` gets `--base-url` of the loopback fake exchange (serving a month of hourly BTC and ETH): no network here.
/// </summary>
public sealed class ReadmeRun : IDisposable
{
    public sealed record Ran(string Line, string[] Args, int ExitCode, string Stdout, string Stderr, double Seconds);

    private readonly TempFolder _folder = new();

    public ReadmeRun()
    {
        if (RepoRoot.Path is null || SharedData.Root is null) return; // every figure check skips with the reason
        Readme = File.ReadAllText(System.IO.Path.Combine(RepoRoot.Path, "README.md"));
        Prose = Regex.Replace(Readme, @"\s+", " ");
        Lines = ReadmeBlocks.CommandLines(Readme);
        RunAll().GetAwaiter().GetResult();
    }

    public string? Readme { get; }
    /// <summary>The README with every run of whitespace (line breaks included) collapsed to one space, for sentence matching.</summary>
    public string Prose { get; } = "";
    public IReadOnlyList<string> Lines { get; } = [];
    public List<Ran> Runs { get; } = [];
    /// <summary>Lines deliberately not run, with the reason.</summary>
    public List<(string Line, string Reason)> NotRun { get; } = [];
    public string Out => _folder.File("out");

    public static void SkipWithoutData() =>
        Skip.If(RepoRoot.Path is null || SharedData.Root is null, "README commands read ../shared/data beside the checkout; it is not present (set AGENTFIRM_SHARED_DATA).");

    /// <summary>The one run whose README line contains every fragment.</summary>
    public Ran Find(params string[] fragments) => Runs.Single(r => fragments.All(f => r.Line.Contains(f, StringComparison.Ordinal)));

    private async Task RunAll()
    {
        await using var exchange = FakeExchange.Start();
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        exchange.AddMarket("BTCUSDT", Timeframe.Hour, FakePricePath.Generate(start, Timeframe.Hour, 31 * 24 + 10, seed: 1));
        exchange.AddMarket("ETHUSDT", Timeframe.Hour, FakePricePath.Generate(start, Timeframe.Hour, 31 * 24 + 10, seed: 2, firstPrice: 2300));

        foreach (var line in Lines)
        {
            var words = ReadmeBlocks.Words(line);
            if (words[0] == "agentfirm") await Run(line, words[1..], exchange);
            else if (words is ["dotnet", "run", "--project", "src/AgentFirm.Host", ..])
                await Run(line, words.SkipWhile(w => w != "--").Skip(1).ToArray(), exchange);
            else if (words is ["dotnet", "test", ..]) NotRun.Add((line, "the test suite itself: checked for parse only"));
            else if (words[0] is "pip" or "optimum-cli") NotRun.Add((line, "Python tooling that downloads a model: no network here"));
            else if (words[0].StartsWith("AgentFirm__", StringComparison.Ordinal)) NotRun.Add((line, "a setting, not a command: checked that the key exists"));
            else throw new InvalidOperationException($"README line the test does not know how to run: {line}");
        }
    }

    private async Task Run(string line, string[] args, FakeExchange exchange)
    {
        var (substituted, settings) = Substitute(args, exchange);
        var clock = Stopwatch.StartNew();
        var outcome = await CliRunner.RunWithSettingsAsync(settings, substituted).WaitAsync(TimeSpan.FromMinutes(3));
        Runs.Add(new Ran(line, substituted, outcome.ExitCode, outcome.Stdout, outcome.Stderr, clock.Elapsed.TotalSeconds));
    }

    /// <summary>The substitutions listed on the class, and nothing else.</summary>
    private (string[] Args, List<KeyValuePair<string, string?>> Settings) Substitute(string[] args, FakeExchange exchange)
    {
        var settings = new List<KeyValuePair<string, string?>>();
        // 1 and 2, also inside a token (comma lists, trained:out/...)
        var result = args
            .Select(a => Regex.Replace(a, @"(^|[,:=])\.\./shared/data", m => m.Groups[1].Value + SharedData.Root!.Replace("\\", "/")))
            .Select(a => Regex.Replace(a, @"(^|[,:=])out/", m => m.Groups[1].Value + Out.Replace("\\", "/") + "/"))
            .ToList();
        // 3
        if (result is ["simulate", ..] && Flag(result, "--days") is { } days && result[days] == "930") result[days] = "300";
        // 4
        if (result.Count == 0 || result[0].StartsWith('-'))
        {
            var quoted = LiveRun();
            result.AddRange(["--speed", quoted.Speed, "--steps", quoted.Steps, "--seed", quoted.Seed, "--urls", "http://127.0.0.1:0"]);
            settings.Add(new("AgentFirm:DataFolder", _folder.File("data")));
            settings.Add(new("AgentFirm:ReportsFolder", Out));
        }
        // 5
        if (result is ["download", ..]) result.AddRange(["--base-url", exchange.BaseUrl.ToString()]);
        return ([.. result], settings);
    }

    private static int? Flag(List<string> args, string flag) => args.IndexOf(flag) is var i and >= 0 && i + 1 < args.Count ? i + 1 : null;

    /// <summary>The live run the README quotes: "(`--speed S --steps N`, seed K) its first fill came at step F".</summary>
    public (string Speed, string Steps, string Seed, int FirstFill) LiveRun()
    {
        var m = Regex.Match(Prose, @"\(`--speed (\d+) --steps (\d+)`, seed (\d+)\) its first fill came at step (\d+)");
        if (!m.Success) throw new InvalidOperationException("README no longer quotes the live host's first fill as '(`--speed S --steps N`, seed K) its first fill came at step F'.");
        return (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value, int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture));
    }

    public void Dispose() => _folder.Dispose();
}

/// <summary>The README's fenced blocks, read as a shell would read their command lines.</summary>
public static class ReadmeBlocks
{
    /// <summary>Every line of every fenced block, with backslash continuations joined and trailing `# comments` dropped;
    /// the Layout block (a file tree, not commands) is left out.</summary>
    public static List<string> CommandLines(string markdown)
    {
        var lines = new List<string>();
        var block = new List<string>();
        var inside = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                if (inside && !(block.Count > 0 && block[0].StartsWith("AgentFirm.sln,", StringComparison.Ordinal))) lines.AddRange(Join(block));
                block.Clear();
                inside = !inside;
                continue;
            }
            if (inside) block.Add(line);
        }
        return lines;
    }

    private static IEnumerable<string> Join(List<string> block)
    {
        var current = "";
        foreach (var line in block)
        {
            var text = Regex.Replace(line, @"\s+#\s.*$", "").Trim();
            if (text.EndsWith('\\')) { current += text[..^1].Trim() + " "; continue; }
            current += text;
            if (current.Length > 0) yield return current;
            current = "";
        }
        if (current.Trim().Length > 0) yield return current.Trim();
    }

    /// <summary>Whitespace-separated words, double quotes removed (no README command quotes a space).</summary>
    public static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('"')).ToArray();
}

/// <summary>The README's commands take about two minutes together and keep both cores busy: run them alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReadmeCollection : ICollectionFixture<ReadmeRun>
{
    public const string Name = "README commands";
}

[Collection(ReadmeCollection.Name)]
public sealed class ReadmeTests(ReadmeRun readme, ITestOutputHelper output)
{
    [SkippableFact]
    public void Every_command_block_in_the_readme_runs_and_exits_0()
    {
        ReadmeRun.SkipWithoutData();
        Assert.NotEmpty(readme.Runs);
        foreach (var r in readme.Runs) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Seconds,6:F1} s  exit {r.ExitCode}  {r.Line}"));
        foreach (var (line, reason) in readme.NotRun) output.WriteLine($"not run ({reason}): {line}");
        Assert.All(readme.Runs, r => Assert.True(r.ExitCode == 0,
            $"`{r.Line}` ran as `agentfirm {string.Join(' ', r.Args)}` and exited {r.ExitCode}:\n{r.Stderr}"));
        // the verbs the README documents with a block are all exercised
        var verbs = readme.Runs.Select(r => r.Args is [var verb, ..] && !verb.StartsWith('-') ? verb : "live").ToHashSet();
        Assert.Superset(new HashSet<string> { "live", "backtest", "simulate", "evaluate", "download", "stats", "features", "train", "validate", "sentiment", "causal-panel", "causal", "rerun" }, verbs);
    }

    [SkippableFact]
    public void Every_readme_example_writes_under_out()
    {
        ReadmeRun.SkipWithoutData();
        foreach (var line in readme.Lines.Where(l => l.StartsWith("agentfirm ", StringComparison.Ordinal)))
        {
            var words = ReadmeBlocks.Words(line);
            // a command without --out prints its result (stats) or writes under the default out/ folder
            foreach (var target in words.Select((w, i) => (w, i)).Where(x => x.w == "--out").Select(x => words[x.i + 1]))
                Assert.True(target.StartsWith("out/", StringComparison.Ordinal), $"`{line}` writes to {target}, outside out/ (which git ignores)");
        }
    }

    [SkippableFact]
    public void The_test_command_names_a_solution_that_holds_every_test_project()
    {
        ReadmeRun.SkipWithoutData();
        var line = Assert.Single(readme.NotRun, n => n.Line.StartsWith("dotnet test", StringComparison.Ordinal)).Line;
        var solution = System.IO.Path.Combine(RepoRoot.Path!, ReadmeBlocks.Words(line)[2]);
        var text = File.ReadAllText(solution);
        foreach (var project in Directory.EnumerateFiles(System.IO.Path.Combine(RepoRoot.Path!, "tests"), "*.Tests.csproj", SearchOption.AllDirectories))
            Assert.Contains(System.IO.Path.GetFileName(project), text);
    }

    [SkippableFact]
    public void Every_setting_line_names_a_real_setting()
    {
        ReadmeRun.SkipWithoutData();
        var settings = AgentFirmSettings.Load();
        var known = RunProvenance.Configuration(settings, settings.Llm()).Select(kv => kv.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // the ONNX runner binds its own options from the same section (OnnxSentimentModels), defaults not in the provenance
        known.UnionWith(typeof(OnnxSentimentOptions).GetProperties().Where(p => p.SetMethod is { IsPublic: true }).Select(p => $"{OnnxSentimentOptions.Section}:{p.Name}"));
        var values = readme.NotRun.Where(n => n.Line.StartsWith("AgentFirm__", StringComparison.Ordinal))
            .Select(n => KeyValuePair.Create(n.Line[..n.Line.IndexOf('=')].Replace("__", ":"), (string?)n.Line[(n.Line.IndexOf('=') + 1)..])).ToList();
        Assert.NotEmpty(values);
        Assert.All(values, kv => Assert.Contains(kv.Key, known));
        // and the values are valid: binding and validating the runner's options throws on a bad one, naming the key
        OnnxSentimentModels.Options(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
    }

    [SkippableFact]
    public void The_live_hosts_first_fill_is_the_one_the_readme_quotes()
    {
        ReadmeRun.SkipWithoutData();
        var quoted = readme.LiveRun();
        var live = readme.Find("dotnet run --project src/AgentFirm.Host");
        // the first step at whose bar the venue had filled an order (the order was decided a step before, latency 1 bar)
        var printed = Regex.Match(live.Stdout, @"stopped after (\d+) decision step\(s\); first fill at step (\d+)\.");
        Assert.True(printed.Success, live.Stdout + live.Stderr);
        Assert.Equal(quoted.FirstFill, int.Parse(printed.Groups[2].Value, CultureInfo.InvariantCulture));
        Assert.True(int.Parse(printed.Groups[1].Value, CultureInfo.InvariantCulture) >= int.Parse(quoted.Steps, CultureInfo.InvariantCulture));
        // "about eleven simulated days in (about 53 seconds at the default 5 steps a second)": hourly steps, the default speed
        var m = Regex.Match(readme.Prose, @"first fill came at step \d+, about (\w+) simulated days in \(about (\d+) seconds at the default (\d+) steps a second");
        Assert.True(m.Success, "README's first-fill sentence changed shape");
        string[] numbers = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"];
        Assert.Equal(m.Groups[1].Value, numbers[(int)Math.Round(quoted.FirstFill / 24.0)]);
        Assert.Equal(AgentFirmSettings.Load().Live.Speed, double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture));
        Assert.Equal(int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), (int)Math.Round(quoted.FirstFill / AgentFirmSettings.Load().Live.Speed));
    }

    [SkippableTheory]
    [InlineData("sma-cross(20,50)", "--strategy sma-cross")]
    [InlineData("momentum(30)", "--strategy momentum")]
    public void A_backtest_table_in_the_readme_is_rows_of_what_its_command_prints(string column, string command)
    {
        ReadmeRun.SkipWithoutData();
        var quoted = MarkdownTable(readme.Readme!, $"| metric | {column} | buy-and-hold |");
        var printed = PrintedTable(readme.Find("agentfirm backtest", command).Stdout);
        Assert.Equal(new[] { "metric", column, "buy-and-hold" }, printed["metric"]);
        Assert.NotEmpty(quoted);
        foreach (var row in quoted)
        {
            Assert.True(printed.ContainsKey(row[0]), $"the command prints no '{row[0]}' row");
            Assert.Equal(row, printed[row[0]]);
        }
    }

    [SkippableFact]
    public void The_rerun_examples_reproduce_their_runs_bit_for_bit()
    {
        ReadmeRun.SkipWithoutData();
        var reruns = readme.Runs.Where(r => r.Line.StartsWith("agentfirm rerun ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(reruns);
        Assert.All(reruns, r => Assert.Matches(@"(?m)^identical: \S+ of the rerun matches", r.Stdout));
        Assert.All(reruns, r => Assert.DoesNotContain("different:", r.Stdout));
    }

    [SkippableFact]
    public void The_deflated_sharpe_example_prints_the_dsr_the_readme_quotes()
    {
        ReadmeRun.SkipWithoutData();
        var quoted = Regex.Match(readme.Prose, @"DSR ≈ ([0-9.]+)").Groups[1].Value;
        var json = JsonNode.Parse(readme.Find("agentfirm stats sharpe --sr").Stdout)!;
        Assert.Equal(quoted, ((double)json["dsr"]!).ToString("F2", CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public void The_sentiment_table_is_what_the_eval_commands_print()
    {
        ReadmeRun.SkipWithoutData();
        var table = MarkdownTable(readme.Readme!, "| model | accuracy | macro-F1 |").ToDictionary(r => r[0]);
        JsonNode Eval(string model) => JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(readme.Out, $"sentiment-{model}.json")))!;
        string F3(JsonNode json, string key) => ((double)json[key]!).ToString("F3", CultureInfo.InvariantCulture);
        var lexicon = Eval("lexicon");
        var trained = Eval("trained");
        Assert.Equal(new[] { "majority class", F3(lexicon, "majority_share"), "" }, table["majority class"]);
        Assert.Equal(new[] { F3(lexicon, "accuracy"), F3(lexicon, "macro_f1") }, table.Single(r => r.Key.StartsWith("crypto lexicon", StringComparison.Ordinal)).Value[1..]);
        Assert.Equal(new[] { F3(trained, "accuracy"), F3(trained, "macro_f1") }, table.Single(r => r.Key.StartsWith("trained", StringComparison.Ordinal)).Value[1..]);
        var texts = Regex.Match(readme.Prose, @"held-out 20% of the shared labelled text \(([0-9,]+) texts\)").Groups[1].Value;
        Assert.Equal(texts, ((int)trained["count"]!).ToString("N0", CultureInfo.InvariantCulture));
        Assert.Equal((int)lexicon["count"]!, (int)trained["count"]!);
    }

    [SkippableFact]
    public void The_validate_example_prints_the_sharpe_ratios_the_readme_quotes()
    {
        ReadmeRun.SkipWithoutData();
        var quoted = Regex.Match(readme.Prose, @"LightGBM's out-of-sample Sharpe \(([0-9.]+) a year\) beats buy-and-hold's \(([0-9.]+)\), as the `validate` example");
        Assert.True(quoted.Success, "README's validate sentence changed shape");
        var stdout = readme.Find("agentfirm validate").Stdout;
        Assert.Equal(quoted.Groups[1].Value, Regex.Match(stdout, @"model=lightgbm: .*?Sharpe (-?[0-9.]+) \(per bar").Groups[1].Value);
        Assert.Equal(quoted.Groups[2].Value, Regex.Match(stdout, @"buy-and-hold Sharpe (-?[0-9.]+) \(per bar").Groups[1].Value);
    }

    [SkippableFact]
    public void The_feature_sets_have_the_column_counts_the_readme_states()
    {
        ReadmeRun.SkipWithoutData();
        var core = int.Parse(Regex.Match(readme.Prose, @"`core` writes `timestamp` and the (\d+) columns").Groups[1].Value, CultureInfo.InvariantCulture);
        var all = int.Parse(Regex.Match(readme.Prose, @"`all` \((\d+) columns\)").Groups[1].Value, CultureInfo.InvariantCulture);
        int Columns(string file) => File.ReadLines(System.IO.Path.Combine(readme.Out, file)).First().Split(',').Length - 1; // less timestamp
        Assert.Equal(core, Columns("features.csv"));
        Assert.Equal(all, Columns("features-all.csv"));
    }

    /// <summary>The rows under a markdown table's header line, as trimmed cells (the separator row left out).</summary>
    private static List<string[]> MarkdownTable(string markdown, string header)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var at = lines.FindIndex(l => l.StartsWith(header, StringComparison.Ordinal));
        Assert.True(at >= 0, $"README has no table headed '{header}'");
        return lines.Skip(at + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray()).ToList();
    }

    /// <summary>The rows of the summary table the backtest prints (box-drawing columns), by their first cell.</summary>
    private static Dictionary<string, string[]> PrintedTable(string stdout) =>
        stdout.Split('\n').Where(l => l.Contains('│'))
            .Select(l => l.Split('│').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray())
            .Where(cells => cells.Length > 0)
            .GroupBy(cells => cells[0]).ToDictionary(g => g.Key, g => g.First());
}
