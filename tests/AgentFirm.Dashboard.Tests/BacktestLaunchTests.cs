using AgentFirm.Dashboard.Components.Firm;
using AgentFirm.Dashboard.Components.Pages;
using AgentFirm.Dashboard.Model;
using AgentFirm.Quant.Metrics;
using AgentFirm.Quant.Validation;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFirm.Dashboard.Tests;

/// <summary>Three finished runs with synthetic hourly curves; "late" starts 50 bars after the others.</summary>
internal sealed class ThreeRunMonitor : IFirmMonitor
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, EquityPoint[]> curves = new()
    {
        ["steady"] = Curve(0, 300, i => 0.001 + 0.004 * Math.Sin(i * 0.7)),
        ["choppy"] = Curve(0, 300, i => 0.0002 + 0.01 * Math.Sin(i * 1.3 + 1)),
        ["late"] = Curve(50, 300, i => -0.0005 + 0.006 * Math.Cos(i * 0.9)),
    };

    public FirmSnapshot Current => FirmSnapshot.Empty;
    public event Action? Changed { add { } remove { } }

    public IReadOnlyList<BacktestRunSummary> Backtests => curves.Keys.Select(Summary).ToArray();

    public BacktestRunDetail? OpenBacktest(string id) =>
        curves.TryGetValue(id, out var curve) ? new BacktestRunDetail(Summary(id), curve, 10, "{}") : null;

    public EquityPoint[] CurveOf(string id) => curves[id];

    private BacktestRunSummary Summary(string id) => new(id, "sma-cross", ["BTC-USDT"], "1h", curves[id][0].Time, curves[id][^1].Time,
        new PerformanceMetrics { TotalReturn = curves[id][^1].Equity / curves[id][0].Equity - 1, Sharpe = 1.1, Fills = 12 });

    private static EquityPoint[] Curve(int from, int to, Func<int, double> returnAt)
    {
        var equity = 10_000.0;
        var points = new List<EquityPoint>();
        for (var i = from; i < to; i++)
        {
            if (i > from) equity *= 1 + returnAt(i);
            points.Add(new EquityPoint(Origin.AddHours(i), equity, 0));
        }
        return [.. points];
    }
}

/// <summary>Records what the page asks of it; launches are whatever the test sets.</summary>
internal sealed class RecordingLauncher : IBacktestLauncher
{
    public List<BacktestLaunchRequest> Requests { get; } = [];
    public List<string> Deleted { get; } = [];
    public List<BacktestLaunch> Shown { get; } = [];
    public IReadOnlyList<BacktestLaunch> Launches => Shown;
    public event Action? Changed { add { } remove { } }

    public BacktestLaunch Launch(BacktestLaunchRequest request)
    {
        Requests.Add(request);
        var launch = new BacktestLaunch($"launch-{Requests.Count}", request, DateTimeOffset.UnixEpoch, LaunchState.Queued, 0, "run-new", null, "");
        Shown.Insert(0, launch);
        return launch;
    }

    public void Cancel(string launchId) { }

    public bool Delete(string runId)
    {
        Deleted.Add(runId);
        return true;
    }
}

/// <summary>The comparison's arithmetic: shared bars, growth, drawdown, return bins and the selection statistics.</summary>
public sealed class BacktestComparisonTests
{
    private readonly ThreeRunMonitor monitor = new();

    private BacktestRunDetail[] Open(params string[] ids) => ids.Select(id => monitor.OpenBacktest(id)!).ToArray();

    [Fact]
    public void Runs_are_compared_on_the_bars_they_all_marked_each_growing_from_one()
    {
        var c = BacktestComparison.Compute(Open("steady", "late"), out var problem)!;

        Assert.Null(problem);
        Assert.Equal(250, c.Times.Count); // "late" starts at bar 50 of 300
        Assert.Equal(monitor.CurveOf("late")[0].Time, c.Times[0]);
        Assert.All(c.Runs, r => Assert.Equal(1.0, r.Growth[0]));
        Assert.All(c.Runs, r => Assert.Equal(249, r.Returns.Length));
        // "steady" on the shared bars is rebased at bar 50: its growth there is equity(t) / equity(bar 50).
        var steady = monitor.CurveOf("steady");
        Assert.Equal(steady[^1].Equity / steady[50].Equity, c.Runs[0].Growth[^1], 12);
    }

    [Fact]
    public void Drawdown_is_measured_from_the_running_peak_of_growth()
    {
        var c = BacktestComparison.Compute(Open("steady", "choppy"), out _)!;
        foreach (var run in c.Runs)
        {
            var peak = 0.0;
            for (var t = 0; t < run.Growth.Length; t++)
            {
                peak = Math.Max(peak, run.Growth[t]);
                Assert.Equal(1 - run.Growth[t] / peak, run.Drawdown[t], 12);
            }
        }
    }

    [Fact]
    public void Each_runs_return_bins_hold_all_its_periods()
    {
        var c = BacktestComparison.Compute(Open("steady", "choppy", "late"), out _)!;
        Assert.All(c.Share, s => Assert.Equal(1.0, s.Sum(), 12));
        Assert.Equal(BacktestComparison.Bins, c.BinStarts.Count);
        Assert.Equal(c.Runs.SelectMany(r => r.Returns).Min(), c.BinStarts[0], 12);
    }

    [Fact]
    public void The_best_runs_deflated_sharpe_is_its_psr_against_the_expected_best_of_the_compared_runs()
    {
        var c = BacktestComparison.Compute(Open("steady", "choppy", "late"), out _)!;

        // Moments by hand on the shared bars (Bailey & Lopez de Prado 2012/2014: per-period Sharpe with the
        // n - 1 standard deviation, plain kurtosis), then SR0 from the variance of the three Sharpe ratios.
        static (double Sharpe, double Skew, double Kurt) Moments(double[] r)
        {
            var mean = r.Average();
            var sd = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1));
            var m2 = r.Average(x => Math.Pow(x - mean, 2));
            return (mean / sd, r.Average(x => Math.Pow(x - mean, 3)) / Math.Pow(m2, 1.5), r.Average(x => Math.Pow(x - mean, 4)) / (m2 * m2));
        }
        var moments = c.Runs.Select(r => Moments(r.Returns)).ToArray();
        var sharpes = moments.Select(m => m.Sharpe).ToArray();
        var meanSharpe = sharpes.Average();
        var variance = sharpes.Sum(s => (s - meanSharpe) * (s - meanSharpe)) / (sharpes.Length - 1);
        var sr0 = Math.Sqrt(variance) * DeflatedSharpe.ExpectedMaximumStandardNormal(3);
        var best = Array.IndexOf(sharpes, sharpes.Max());

        Assert.Same(c.Runs[best], c.Best);
        Assert.Equal(sr0, c.Best.Deflated.ExpectedMaximumSharpe, 12);
        var (sharpe, skew, kurt) = moments[best];
        Assert.Equal(ProbabilisticSharpe.Probability(sharpe, c.Best.Returns.Length, skew, kurt, sr0), c.Best.Deflated.Dsr!.Value, 9);
        Assert.Equal(ProbabilisticSharpe.Probability(sharpe, c.Best.Returns.Length, skew, kurt), c.Best.Deflated.Psr!.Value, 9);
        Assert.InRange(c.Pbo.Pbo!.Value, 0, 1);
        Assert.Equal(BacktestComparison.Partitions, c.Pbo.Partitions);
    }

    [Fact]
    public void One_run_or_runs_without_shared_bars_say_why_they_cannot_be_compared()
    {
        Assert.Null(BacktestComparison.Compute(Open("steady"), out var one));
        Assert.Contains("at least two", one);
        var early = monitor.OpenBacktest("steady")!;
        var clipped = early with { Equity = early.Equity.Take(3).ToArray() };
        Assert.Null(BacktestComparison.Compute([clipped, monitor.OpenBacktest("choppy")!], out var few));
        Assert.Contains("share 3 bar time(s)", few);
    }

    [Fact]
    public void A_launch_request_becomes_the_cli_verbs_flags_leaving_blank_fields_to_the_defaults()
    {
        var request = new BacktestLaunchRequest
        {
            Data = " data/ohlcv ", Symbols = "BTC-USDT,ETH-USDT", Timeframe = "1d", From = "2024-01-01", Strategy = "sma-cross",
            Parameters = "fast=5, slow=20", TakerFeeBps = 7.5,
        };
        Assert.Equal(["backtest", "--data", "data/ohlcv", "--timeframe", "1d", "--out", "out/x", "--symbols", "BTC-USDT,ETH-USDT", "--from", "2024-01-01",
            "--fee-bps", "7.5", "--strategy", "sma-cross", "--param", "fast=5", "--param", "slow=20"], request.Arguments("out/x"));
        var evaluation = request with { Kind = LaunchKind.Evaluation };
        Assert.Equal("evaluate", evaluation.Arguments("out/x")[0]);
        Assert.DoesNotContain("--strategy", evaluation.Arguments("out/x"));
    }
}

/// <summary>bUnit: the backtests page launches, follows, compares and deletes runs.</summary>
public sealed class BacktestsPageTests : MudTestContext
{
    private readonly ThreeRunMonitor monitor = new();
    private readonly RecordingLauncher launcher = new();

    public BacktestsPageTests()
    {
        ctx.Services.AddSingleton<IFirmMonitor>(monitor);
        ctx.Services.AddSingleton<IBacktestLauncher>(launcher);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void The_form_launches_what_was_typed_and_the_launch_shows_at_once()
    {
        var cut = ctx.Render<Backtests>();
        Assert.True(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")); // no data named yet

        cut.Find("input[data-testid=launch-data]").Input("bars");
        cut.Find("input[data-testid=launch-symbols]").Input("BTC-USDT");
        cut.Find("input[data-testid=launch-params]").Input("fast=5 slow=20");
        // MudBlazor applies typed values through its own async handlers: wait until the form has them.
        cut.WaitForAssertion(() => Assert.False(cut.Find("[data-testid=launch-run]").HasAttribute("disabled")), TimeSpan.FromSeconds(5));
        cut.WaitForAssertion(() => Assert.Contains("fast=5 slow=20", cut.Find("input[data-testid=launch-params]").GetAttribute("value")), TimeSpan.FromSeconds(5));
        cut.Find("[data-testid=launch-run]").Click();

        cut.WaitForAssertion(() => Assert.Single(launcher.Requests), TimeSpan.FromSeconds(5));
        var request = launcher.Requests[0];
        Assert.Equal(("bars", "BTC-USDT", "sma-cross", "1d", LaunchKind.Backtest), (request.Data, request.Symbols, request.Strategy, request.Timeframe, request.Kind));
        Assert.Contains("--param", request.Arguments("o"));
        cut.WaitForAssertion(() => Assert.Equal("queued", cut.Find("[data-testid=launch-row]").GetAttribute("data-state")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Launches_show_progress_while_running_a_link_when_done_and_the_error_when_they_fail()
    {
        var request = new BacktestLaunchRequest { Data = "bars" };
        launcher.Shown.AddRange([
            new BacktestLaunch("a", request, DateTimeOffset.UnixEpoch, LaunchState.Running, 0.4, "backtest-sma-cross-1", null, ""),
            new BacktestLaunch("b", request, DateTimeOffset.UnixEpoch, LaunchState.Succeeded, 1, "backtest-sma-cross-2", "written", "summary table"),
            new BacktestLaunch("c", request, DateTimeOffset.UnixEpoch, LaunchState.Failed, 0, "backtest-sma-cross-3", "exit code 2: error: --data 'bars' does not exist", ""),
        ]);
        var cut = ctx.Render<BacktestLaunches>(p => p.Add(c => c.Launches, launcher.Shown));

        Assert.Contains("40.00%", cut.FindAll("[data-testid=launch-row]")[0].TextContent);
        Assert.Single(cut.FindAll("[data-testid=launch-progress]"));
        Assert.Equal("backtests/backtest-sma-cross-2", cut.Find("[data-testid=launch-run-link]").GetAttribute("href"));
        Assert.Contains("summary table", cut.Find("[data-testid=launch-output]").TextContent);
        Assert.Contains("--data 'bars' does not exist", cut.FindAll("[data-testid=launch-message]")[^1].TextContent);
    }

    [Fact]
    public void Ticking_two_runs_links_to_their_comparison_and_a_delete_needs_a_second_click()
    {
        var cut = ctx.Render<Backtests>();
        Assert.True(cut.Find("[data-testid=compare-runs]").HasAttribute("disabled"));

        cut.Find("input[data-testid=backtest-select][data-run=steady]").Change(true);
        cut.Find("input[data-testid=backtest-select][data-run=late]").Change(true);
        Assert.Equal("backtests/compare?runs=steady%2Clate", cut.Find("[data-testid=compare-runs]").GetAttribute("href"));

        cut.FindAll("[data-testid=backtest-delete]")[1].Click();
        Assert.Empty(launcher.Deleted);
        cut.Find("[data-testid=backtest-delete-confirm]").Click();
        Assert.Equal(["choppy"], launcher.Deleted);
    }

    [Fact]
    public void The_comparison_page_shows_metrics_with_deflated_sharpe_pbo_and_three_charts()
    {
        var navigation = ctx.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("runs", "steady,choppy,gone"));
        var cut = ctx.Render<BacktestCompare>();

        Assert.Equal(["steady", "choppy"], cut.FindAll("[data-testid=compare-metrics] [data-testid=backtest-link]").Select(a => a.TextContent));
        Assert.Contains("gone", cut.Find("[data-testid=compare-missing]").TextContent);
        Assert.Matches(@"PBO \(CSCV, 16 partitions, 12,870 combinations\): \d+\.\d\d%", System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid=compare-pbo]").TextContent, @"\s+", " "));
        Assert.All(cut.FindAll("[data-testid=compare-dsr]"), d => Assert.EndsWith("%", d.TextContent.Trim()));
        foreach (var chart in new[] { "compare-equity-chart", "compare-drawdown-chart", "compare-returns-chart" })
            Assert.NotEmpty(cut.FindAll($"[data-testid={chart}] svg"));
    }
}
