using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>What a backtest report folder holds beyond the metrics (issue 16): per-period returns that the statistics read directly.</summary>
public sealed class ReportFilesTests
{
    private static string Wavy(TempFolder folder, string name, int days)
    {
        var path = folder.File(name);
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.WriteAllText(path, "timestamp,open,high,low,close,volume\n" + string.Join("\n", Enumerable.Range(0, days).Select(i =>
        {
            var p = 100 * Math.Exp(0.15 * Math.Sin(i / 9.0) + 0.002 * i + 0.01 * Math.Sin(i * 1.7));
            return string.Create(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{p},{p * 1.01},{p * 0.99},{p},100000");
        })) + "\n");
        return path;
    }

    [Fact]
    public async Task Returns_csv_feeds_stats_sharpe_and_round_trips_to_the_reports_annualised_sharpe()
    {
        using var folder = new TempFolder();
        var data = Wavy(folder, "BTC-USDT.csv", 200);
        var outDir = folder.File("run");

        var backtest = await CliRunner.RunAsync("backtest", "--data", data, "--strategy", "sma-cross", "--param", "fast=5", "--param", "slow=20", "--out", outDir);
        Assert.True(backtest.ExitCode == 0, backtest.Stderr);
        var stats = await CliRunner.RunAsync("stats", "sharpe", "--returns", Path.Combine(outDir, "returns.csv"));
        Assert.True(stats.ExitCode == 0, stats.Stderr);

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        var json = JsonDocument.Parse(stats.Stdout).RootElement;
        var lines = File.ReadAllLines(Path.Combine(outDir, "returns.csv"));
        Assert.Equal("timestamp,return", lines[0]);
        Assert.Equal((int)report["periods"]!, json.GetProperty("periods").GetInt32());
        Assert.Equal("return", json.GetProperty("column").GetString());
        // stats gives the per-period Sharpe; the report annualises it by sqrt(periods per year) (365 for daily bars)
        var perPeriod = json.GetProperty("sr").GetDouble();
        Assert.Equal((double)report["sharpe"]!, perPeriod * Math.Sqrt(365), 9);
        Assert.Equal(perPeriod, (double)report["sharpe_per_bar"]!, 12);
        // each return is the equity curve's own change: the second row against equity.csv's first two rows
        var equity = File.ReadAllLines(Path.Combine(outDir, "equity.csv")).Skip(1).Take(3).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        var second = lines[2].Split(',');
        Assert.Equal(equity[2] / equity[1] - 1, double.Parse(second[1], CultureInfo.InvariantCulture), 15);
        Assert.Null(report["halted"]); // a fixed rule has no risk agent to halt it
    }

    [Fact]
    public async Task A_firm_halted_by_the_drawdown_limit_says_when_which_limit_and_the_drawdown_in_table_report_and_chart()
    {
        using var folder = new TempFolder();
        // 70 days of good news and rising prices (the firm learns to buy), then one 30 % fall: far beyond a 2 % drawdown limit
        var path = GoodNewsThenCrash.Write(folder, days: 100, crashDay: 70, crashFactor: 0.7);
        var t0 = GoodNewsThenCrash.Start;
        var outDir = folder.File("run");

        var run = await CliRunner.RunWithSettingsAsync([new("AgentFirm:Risk:MaxDrawdown", "0.02")], "backtest", "--data", path, "--strategy", "firm", "--out", outDir);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
        Assert.True((bool)report["halted"]!);
        var halt = report["halt"]!;
        Assert.Equal("max_drawdown", (string?)halt["limit"]);
        Assert.Equal(0.02, (double)halt["limit_value"]!);
        Assert.Equal(new DateTimeOffset(t0.AddDays(71)), (DateTimeOffset)halt["time"]!); // the first decision step that sees the fall's close
        var drawdown = (double)halt["drawdown"]!;
        Assert.True(drawdown > 0.02, $"drawdown {drawdown}");
        Assert.Equal(1 - (double)halt["equity"]! / (double)halt["peak_equity"]!, drawdown, 12);
        Assert.Contains("max drawdown", (string)halt["reason"]!);
        Assert.Contains("halted 2024-03-12 00:00Z", run.Stdout);
        Assert.Contains("by the max drawdown limit", run.Stdout);
        Assert.Contains("limit 2.0", run.Stdout);
        var chart = File.ReadAllText(Path.Combine(outDir, "chart.html"));
        Assert.Contains("class=\"halt\"", chart);
        Assert.Contains("halted 2024-03-12", chart);
        // flat from two bars after the halt (one bar of latency to flatten) to the end
        var exposure = File.ReadAllLines(Path.Combine(outDir, "equity.csv")).Skip(1).Select(l => l.Split(','))
            .Where(c => DateTimeOffset.Parse(c[0], CultureInfo.InvariantCulture) >= t0.AddDays(73)).Select(c => double.Parse(c[3], CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(exposure);
        Assert.All(exposure, g => Assert.Equal(0, g));

        // views.csv beside decisions.csv: every analyst's view at every step, with its weight and rationale
        var views = File.ReadAllLines(Path.Combine(outDir, "views.csv"));
        Assert.Equal("step,time,agent,symbol,direction,confidence,horizon_hours,weight,dropped,rationale,evidence", views[0]);
        var viewRows = views.Skip(1).Select(l => l.Split(',')).ToList();
        var agents = viewRows.Select(r => r[2]).Distinct().ToList();
        Assert.True(agents.Count >= 3, string.Join(",", agents));
        Assert.All(viewRows.GroupBy(r => r[0]), step => Assert.Equal(agents.Count, step.Count()));
        var decisionSteps = File.ReadAllLines(Path.Combine(outDir, "decisions.csv")).Skip(1).Select(l => l.Split(',')[0]).Distinct();
        Assert.Equal(decisionSteps, viewRows.Select(r => r[0]).Distinct());
        Assert.All(viewRows, r => Assert.InRange(double.Parse(r[4], CultureInfo.InvariantCulture), -1, 1));
        Assert.All(viewRows, r => Assert.False(string.IsNullOrWhiteSpace(r[9]), "every view has a rationale"));
        Assert.Contains(viewRows, r => double.Parse(r[4], CultureInfo.InvariantCulture) != 0);

        // parents.csv: every order the firm sent (stops apart) with its implementation shortfall; report.json sums it per algorithm
        var parents = File.ReadAllLines(Path.Combine(outDir, "parents.csv"));
        Assert.StartsWith("decision_time,symbol,side,algorithm,quantity,filled,decision_price,arrival_price", parents[0]);
        var parentRows = parents.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.NotEmpty(parentRows);
        Assert.All(parentRows, r => Assert.InRange(double.Parse(r[5], CultureInfo.InvariantCulture), 0, double.Parse(r[4], CultureInfo.InvariantCulture) * (1 + 1e-9)));
        var execution = report["execution"]!;
        Assert.Equal(parentRows.Count, (int)execution["parents"]!);
        Assert.Equal(parentRows.Count, execution["by_algorithm"]!.AsArray().Sum(a => (int)a!["parents"]!));
        Assert.Equal(parentRows.Select(r => r[3]).Distinct().Order(), execution["by_algorithm"]!.AsArray().Select(a => (string)a!["algorithm"]!).Order());
        Assert.Contains("execution shortfall:", run.Stdout);
        // ... and the dashboard's run page reads the same rows from report.json
        var reports = Path.GetDirectoryName(outDir)!;
        var opened = AgentFirm.Host.Firm.FirmMonitor.OpenBacktest(reports, AgentFirm.Host.Firm.FirmMonitor.ScanBacktests(reports), Path.GetFileName(outDir))!;
        Assert.Equal(execution["by_algorithm"]!.AsArray().Select(a => (string)a!["algorithm"]!), opened.Execution.Select(a => a.Algorithm));
        Assert.Equal((double)execution["by_algorithm"]![0]!["notional_weighted_shortfall_bps"]!, opened.Execution[0].NotionalWeightedBps);
    }
}
