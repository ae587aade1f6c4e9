using System.Globalization;
using AgentFirm.BrowserSupport;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace AgentFirm.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class OverviewBrowserTests(DashboardHost host, ITestOutputHelper output)
{
    private static readonly float Timeout = 30_000; // two shared cores: the first circuit can take a while

    [SkippableFact]
    public async Task Overview_shows_equity_chart_and_decision_rows_and_takes_a_live_step()
    {
        await using var chromium = await ChromiumBrowser.LaunchOrSkipAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 1400 } });
        var problems = WatchForProblems(page);
        var before = host.Monitor.Current.Decisions[0].Step;

        await OpenAndWaitForCircuitAsync(page, "");

        await Expect(page.Locator("[data-testid=equity-chart] svg polyline.equity")).ToBeVisibleAsync(new() { Timeout = Timeout });
        var rows = page.Locator("[data-testid=decision-row]");
        await Expect(rows.First).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.True(await rows.CountAsync() >= 1);

        // The firm takes a step after the page loaded: the new row must appear without a reload.
        var next = host.Monitor.PublishNextStep();
        await Expect(page.Locator($"[data-testid=decision-row][data-step='{next.Step}']")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Expect(page.Locator("[data-testid=last-step]")).ToContainTextAsync(next.Step.ToString(CultureInfo.InvariantCulture), new() { Timeout = Timeout });

        await Expect(page.Locator("[data-testid=veto-log]")).ToContainTextAsync("gross exposure");
        await SaveScreenshotAsync(page, "overview.png");

        // Opening an older step shows each agent's view, the meta decision and the risk verdict.
        await page.Locator($"[data-testid=decision-row][data-step='{before}']").ClickAsync();
        var detail = page.Locator($"[data-testid=decision-detail][data-step='{before}']");
        await Expect(detail.Locator("[data-testid=agent-view]").First).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Expect(detail.Locator("[data-testid=meta-decision]").First).ToBeVisibleAsync();
        await Expect(detail.Locator("[data-testid=risk-verdict]").First).ToBeVisibleAsync();

        AssertNoProblems(problems);
    }

    [SkippableFact]
    public async Task Backtests_page_lists_finished_runs_with_their_metrics()
    {
        await using var chromium = await ChromiumBrowser.LaunchOrSkipAsync();
        var page = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 600 } });
        var problems = WatchForProblems(page);

        await OpenAndWaitForCircuitAsync(page, "backtests");

        var table = page.Locator("[data-testid=backtests]");
        await Expect(table).ToContainTextAsync("run-0001", new() { Timeout = Timeout });
        await Expect(table).ToContainTextAsync("23.40%"); // total return
        await Expect(table).ToContainTextAsync("1.37");   // Sharpe
        await SaveScreenshotAsync(page, "backtests.png");
        AssertNoProblems(problems);
    }

    /// <summary>Prerendered pages drop clicks until the circuit is up; the layout shows a marker once it is.</summary>
    private async Task OpenAndWaitForCircuitAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(host.BaseAddress, path).ToString(), new() { WaitUntil = WaitUntilState.NetworkIdle, Timeout = Timeout });
        await page.Locator("[data-testid=circuit-ready]").WaitForAsync(new() { Timeout = Timeout });
    }

    /// <summary>Failed asset requests (a missing MudBlazor.min.css answers 404/500) and script errors.</summary>
    private static List<string> WatchForProblems(IPage page)
    {
        var problems = new List<string>();
        page.Response += (_, r) => { if (r.Status >= 400) lock (problems) problems.Add($"{r.Status} {r.Url}"); };
        page.PageError += (_, e) => { lock (problems) problems.Add($"page error: {e}"); };
        page.Console += (_, m) => { if (m.Type == "error") lock (problems) problems.Add($"console: {m.Text}"); };
        return problems;
    }

    private static void AssertNoProblems(List<string> problems)
    {
        lock (problems) Assert.True(problems.Count == 0, "the page had problems:\n" + string.Join("\n", problems));
    }

    /// <summary>The viewport, not the full page: MudBlazor's app bar and drawer are fixed and would be stamped mid-page.</summary>
    private async Task SaveScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path });
        output.WriteLine($"screenshot: {path}");
    }
}
