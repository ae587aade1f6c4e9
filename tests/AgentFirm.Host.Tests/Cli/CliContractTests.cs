using System.Globalization;
using System.Security.Cryptography;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>
/// The command line's contract for careless input (issue 16): exit 2 with one line on stderr in the user's own
/// terms (the flag, the value, the key they typed), found before any data is read, and nothing written or deleted.
/// docs/cli-errors.md lists every error class with the test here that checks it.
/// </summary>
public sealed class CliContractTests
{
    private static string Day(int i, double price) =>
        string.Create(CultureInfo.InvariantCulture, $"{new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{price},{price + 1},{price - 1},{price},1000");

    private static string Bars(TempFolder folder, string relative, int days = 60)
    {
        var path = folder.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", Enumerable.Range(0, days).Select(i => Day(i, 100 + i))) + "\n");
        return path;
    }

    /// <summary>Every file under a folder with its content hash: what "nothing written or deleted" is checked against.</summary>
    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    private static void AssertRefused(CliRunner.Outcome run, params string[] fragments)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}; stderr: {run.Stderr}");
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got:\n{run.Stderr}");
        Assert.StartsWith("error: ", lines[0]);
        foreach (var fragment in fragments) Assert.Contains(fragment, lines[0]);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("System.", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task A_symbol_that_is_not_the_files_pair_is_refused_naming_the_pair_the_file_name_gives()
    {
        using var folder = new TempFolder();
        var file = Bars(folder, "BTC-USDT.csv");
        var before = Snapshot(folder.Path);

        var run = await CliRunner.RunAsync("backtest", "--data", file, "--symbols", "ETH-USDT", "--out", folder.File("report"));

        AssertRefused(run, "--symbols ETH-USDT", "BTC-USDT");
        Assert.Equal(before, Snapshot(folder.Path));
    }

    [Theory]
    [InlineData(null, "BTC-USDT")]
    [InlineData("BTC-USDT-PERP", "BTC-USDT-PERP")] // a perpetual of the same pair is priced from the spot file
    public async Task A_single_file_backtest_takes_its_symbol_from_the_file_name_and_says_so_when_not_given(string? symbols, string expected)
    {
        using var folder = new TempFolder();
        var file = Bars(folder, "BTC-USDT.csv");
        string[] args = ["backtest", "--data", file, "--strategy", "buyhold", "--out", folder.File("report")];
        if (symbols is not null) args = [.. args, "--symbols", symbols];

        var run = await CliRunner.RunAsync(args);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(expected, run.Stdout);
        if (symbols is null) Assert.Contains("note: --symbols not given; the symbol BTC-USDT comes from the file name BTC-USDT.csv", run.Stderr);
        else Assert.DoesNotContain("note:", run.Stderr);
    }

    [Theory]
    [InlineData("sma-cross", "fats=5", "did you mean fast?", "fast, slow, short")]
    [InlineData("momentum", "lookbak=5", "did you mean lookback?", "lookback")]
    [InlineData("buyhold", "fast=5", "takes no parameters", "buyhold")]
    [InlineData("firm", "fast=5", "takes no parameters", "AgentFirm:")]
    public async Task An_unknown_param_key_is_refused_with_the_strategys_known_keys(string strategy, string param, string hint, string known)
    {
        using var folder = new TempFolder();
        var file = Bars(folder, "BTC-USDT.csv");

        var run = await CliRunner.RunAsync("backtest", "--data", file, "--strategy", strategy, "--param", param, "--out", folder.File("report"));

        AssertRefused(run, $"--param {param.Split('=')[0]}", hint, known);
        Assert.False(Directory.Exists(folder.File("report")));
    }

    [Fact]
    public async Task An_unknown_strategy_is_refused_listing_every_strategy_firm_included_with_the_nearest()
    {
        using var folder = new TempFolder();
        var run = await CliRunner.RunAsync("backtest", "--data", folder.File("missing.csv"), "--strategy", "smacross", "--out", folder.File("report"));

        AssertRefused(run, "--strategy 'smacross'", "did you mean sma-cross?", "buyhold, sma-cross, momentum, voltarget, firm");
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    /// <summary>Each verb that writes, with arguments that would fail only later (missing data): the --out check must come first.</summary>
    public static TheoryData<string, bool> Writers => new()
    {
        { "backtest --data {data} --out {out}", true },
        { "train --data {data} --model ridge --out {out}", true },
        { "validate --data {data} --model ridge --out {out}", true },
        { "simulate --days 2 --out {out}", true },
        { "sentiment train --data {data} --out {out}", true },
        { "features --data {data} --out {out}", false },
        { "causal --input {data} --tau-max 2 --out {out}", false },
        { "causal-panel --data {data} --symbols BTC-USDT --out {out}", false },
        { "sentiment score --input {data} --out {out}", false },
        { "sentiment eval --input {data} --out {out}", false },
    };

    private static string[] Args(string template, string data, string target) =>
        template.Split(' ').Select(a => a.Replace("{data}", data).Replace("{out}", target)).ToArray();

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task Writing_over_existing_output_needs_force_and_nothing_is_touched_without_it(string template, bool writesFolder)
    {
        using var folder = new TempFolder();
        var target = folder.File(writesFolder ? "existing" : "existing.csv");
        if (writesFolder)
        {
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "keep.txt"), "earlier results");
        }
        else File.WriteAllText(target, "earlier results");
        var before = Snapshot(folder.Path);

        var run = await CliRunner.RunAsync(Args(template, folder.File("missing.csv"), target));

        AssertRefused(run, "--out", "exists", "pass --force to replace it");
        Assert.Equal(before, Snapshot(folder.Path));
    }

    [Theory]
    [MemberData(nameof(Writers))]
    public async Task An_out_of_the_wrong_kind_is_refused_in_one_line(string template, bool writesFolder)
    {
        using var folder = new TempFolder();
        var target = folder.File("wrong-kind");
        if (writesFolder) File.WriteAllText(target, "a file, not a folder");
        else Directory.CreateDirectory(target);
        var before = Snapshot(folder.Path);

        var run = await CliRunner.RunAsync(Args(template + " --force", folder.File("missing.csv"), target));

        AssertRefused(run, "--out", writesFolder ? "is a file; give a folder" : "is a folder; give a file name");
        Assert.Equal(before, Snapshot(folder.Path));
        Assert.Equal(writesFolder, File.Exists(target));
    }

    [Fact]
    public async Task Backtest_with_force_replaces_a_non_empty_report_folder()
    {
        using var folder = new TempFolder();
        var file = Bars(folder, "BTC-USDT.csv");
        var target = folder.File("report");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "stale.txt"), "old");

        var run = await CliRunner.RunAsync("backtest", "--data", file, "--strategy", "buyhold", "--out", target, "--force");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.False(File.Exists(Path.Combine(target, "stale.txt")));
        Assert.True(File.Exists(Path.Combine(target, "report.json")));
    }

    [Fact]
    public async Task A_file_system_failure_is_one_line_and_the_stack_trace_only_comes_with_verbose()
    {
        using var folder = new TempFolder();
        var file = Bars(folder, "BTC-USDT.csv");
        var blocker = folder.File("blocker");
        File.WriteAllText(blocker, "a file where a parent folder should be");
        string[] args = ["backtest", "--data", file, "--symbols", "BTC-USDT", "--strategy", "buyhold", "--out", Path.Combine(blocker, "report")];

        var quiet = await CliRunner.RunAsync(args);
        var verbose = await CliRunner.RunAsync([.. args, "--verbose"]);

        Assert.Contains(quiet.ExitCode, new[] { 1, 2 });
        var errors = quiet.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("backtest ")).ToArray();
        Assert.Single(errors);
        Assert.StartsWith("error: ", errors[0]);
        Assert.Contains("blocker", errors[0]);
        Assert.Equal(["error: "], errors.Select(e => e[..7]));
        Assert.DoesNotContain("   at ", quiet.Stderr);
        Assert.Equal(quiet.ExitCode, verbose.ExitCode);
        Assert.Contains("   at ", verbose.Stderr);
        Assert.Equal("a file where a parent folder should be", File.ReadAllText(blocker));
    }

    [Theory]
    [InlineData(new[] { "stats", "sharpe", "--sr", "abc", "--periods", "100", "--skew", "0", "--kurtosis", "3" }, "--sr 'abc' is not a number.")]
    [InlineData(new[] { "stats", "sharpe", "--sr", "0.1", "--periods", "1.5", "--skew", "0", "--kurtosis", "3" }, "--periods '1.5' is not a whole number.")]
    [InlineData(new[] { "backtset", "--data", "x.csv" }, "'backtset' is not a command of agentfirm (did you mean backtest?)")]
    [InlineData(new[] { "backtest", "--data", "x.csv", "--stratgy", "firm" }, "'agentfirm backtest' has no flag '--stratgy' (did you mean --strategy?)")]
    [InlineData(new[] { "stats", "shrpe" }, "'shrpe' is not a command of 'agentfirm stats' (did you mean sharpe?)")]
    [InlineData(new[] { "backtest", "--data", "x.csv", "--gaps", "cary" }, "--gaps 'cary' must be fail, carry or skip (did you mean carry?)")]
    [InlineData(new[] { "causal", "--input", "x.csv", "--tau-max", "2", "--out", "g.json", "--method", "pcmci+" }, "--method 'pcmci+' must be one of: pcmci, pcmciplus")]
    public async Task Messages_speak_in_the_flags_and_values_the_user_typed(string[] args, string expected)
    {
        var run = await CliRunner.RunAsync(args);

        AssertRefused(run, expected);
    }

    [Fact]
    public async Task A_gap_under_gaps_fail_names_the_flag_value_that_accepts_it()
    {
        using var folder = new TempFolder();
        var path = folder.File("BTC-USDT.csv");
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", Enumerable.Range(0, 30).Where(i => i != 10).Select(i => Day(i, 100 + i))) + "\n");

        var run = await CliRunner.RunAsync("backtest", "--data", path, "--gaps", "fail", "--out", folder.File("report"));

        AssertRefused(run, "gap:", "--gaps carry", "--gaps skip");
        Assert.DoesNotContain("GapPolicy.", run.Stderr);
        Assert.False(Directory.Exists(folder.File("report")));
    }

    [Fact]
    public async Task Stats_sharpe_refuses_a_column_of_levels_and_derives_simple_returns_when_asked()
    {
        using var folder = new TempFolder();
        var equity = new[] { 100_000.0, 101_000, 100_500, 102_000, 101_800, 103_500, 103_000 };
        var file = folder.File("equity.csv");
        File.WriteAllText(file, "timestamp,equity\n" + string.Join("\n", equity.Select((e, i) => $"2024-01-0{i + 1}T00:00:00Z,{e.ToString(CultureInfo.InvariantCulture)}")) + "\n");

        var refused = await CliRunner.RunAsync("stats", "sharpe", "--returns", file, "--column", "equity");
        var derived = await CliRunner.RunAsync("stats", "sharpe", "--returns", file, "--column", "equity", "--from-equity");

        AssertRefused(refused, "column 'equity' looks like levels, not returns", "--from-equity");
        Assert.True(derived.ExitCode == 0, derived.Stderr);
        var json = System.Text.Json.JsonDocument.Parse(derived.Stdout).RootElement;
        // independent computation: simple returns, then the per-period Sharpe: mean over the sample standard deviation
        var r = equity.Zip(equity.Skip(1), (a, b) => b / a - 1).ToArray();
        var mean = r.Average();
        var sd = Math.Sqrt(r.Select(x => (x - mean) * (x - mean)).Sum() / (r.Length - 1));
        Assert.Equal(r.Length, json.GetProperty("periods").GetInt32());
        Assert.Equal(mean / sd, json.GetProperty("sr").GetDouble(), 10);
        Assert.True(json.GetProperty("from_equity").GetBoolean());
    }

    public static TheoryData<string, string, string[]> ConfigurationErrors => new()
    {
        { "AgentFirm:Llm:Mind", "OpenAI", ["AgentFirm:Llm:Endpoint", "is required for Mind=OpenAI"] },
        { "AgentFirm:Llm:Mind", "Ollama", ["AgentFirm:Llm:Mind 'Ollama'", "Offline, OpenAI"] },
        { "AgentFirm:Llm:Temperature", "5", ["AgentFirm:Llm:Temperature", "[0, 2]"] },
        { "AgentFirm:Market:GapPolicy", "Carry", ["AgentFirm:Market:GapPolicy 'Carry'", "Fail, CarryForward, Skip"] },
        { "AgentFirm:Risk:MaxDrawdown", "abc", ["AgentFirm:Risk:MaxDrawdown 'abc'", "is not a number"] },
    };

    [Theory]
    [MemberData(nameof(ConfigurationErrors))]
    public async Task A_configuration_error_is_exit_2_naming_the_key_before_any_data_is_read(string key, string value, string[] fragments)
    {
        using var folder = new TempFolder();
        // the data does not exist and the firm would start a silo: the configuration must be refused first
        var run = await CliRunner.RunWithSettingsAsync([new(key, value)],
            "backtest", "--data", folder.File("missing.csv"), "--strategy", "firm", "--out", folder.File("report"));

        AssertRefused(run, ["Configuration error", .. fragments]);
        Assert.DoesNotContain("missing.csv", run.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }
}
