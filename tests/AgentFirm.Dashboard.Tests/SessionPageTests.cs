using AgentFirm.Core;
using AgentFirm.Dashboard.Components.Pages;
using AgentFirm.Dashboard.Model;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFirm.Dashboard.Tests;

/// <summary>bUnit: the sessions list and one session's ledger over an in-memory archive.</summary>
public sealed class SessionPageTests : MudTestContext
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly MemoryArchive archive = new();

    public SessionPageTests()
    {
        ctx.Services.AddSingleton<IFirmMonitor>(new SampleFirmMonitor());
    }

    [Fact]
    public void Each_session_links_to_its_own_page_and_the_running_one_is_marked()
    {
        ctx.Services.AddSingleton<ISessionArchive>(archive);
        var cut = ctx.Render<Sessions>();

        var rows = cut.FindAll("[data-testid=session-row]");
        Assert.Equal(["live-20260302-090000", "live-20260301-080000"], rows.Select(r => r.GetAttribute("data-session")));
        Assert.Equal("sessions/live-20260302-090000", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("running now", rows[0].TextContent);
        Assert.DoesNotContain("running now", rows[1].TextContent);
    }

    [Fact]
    public void A_session_page_pages_through_its_ledger_in_sequence_order()
    {
        ctx.Services.AddSingleton<ISessionArchive>(archive);
        var cut = ctx.Render<Session>(p => p.Add(c => c.Id, "live-20260301-080000"));

        Assert.Equal(Enumerable.Range(1, 50).Select(i => i.ToString()), cut.FindAll("[data-testid=ledger-row]").Select(r => r.TextContent.Trim()));
        cut.Find("[data-testid=ledger-next]").Click();
        Assert.Equal(Enumerable.Range(51, 20).Select(i => i.ToString()), cut.FindAll("[data-testid=ledger-row]").Select(r => r.TextContent.Trim()));
        Assert.Contains("entries 51 to 70 of 70", cut.Markup);
    }

    [Fact]
    public void Without_an_archive_the_sessions_page_says_so() =>
        Assert.Contains("keeps no session ledger", ctx.Render<Sessions>().Markup);

    [Fact]
    public void An_unknown_session_id_says_it_is_not_in_the_ledger()
    {
        ctx.Services.AddSingleton<ISessionArchive>(archive);
        Assert.Contains("live-nope", ctx.Render<Session>(p => p.Add(c => c.Id, "live-nope")).Find("[data-testid=session-missing]").TextContent);
    }

    private sealed class MemoryArchive : ISessionArchive
    {
        private readonly LedgerEntry[] old = Enumerable.Range(1, 70)
            .Select(i => new LedgerEntry(i, i, T0.AddHours(i), i == 1 ? LedgerEntryKind.Deposit : LedgerEntryKind.Fill, "BTC-USD", OrderSide.Buy, 0.1, 90_000, 1.5))
            .ToArray();

        public Task<IReadOnlyList<SessionSummary>> SessionsAsync() => Task.FromResult<IReadOnlyList<SessionSummary>>(
        [
            new("live-20260302-090000", T0.AddDays(1), T0.AddDays(2), 24, 3, 10, 8, 1, 100_000, 12, Current: true),
            new("live-20260301-080000", T0, T0.AddDays(1), 70, 70, 0, 69, 0, 100_000, 103.5, Current: false),
        ]);

        public Task<IReadOnlyList<LedgerEntry>> EntriesAsync(string sessionId, long afterSequence, int take) =>
            Task.FromResult<IReadOnlyList<LedgerEntry>>(old.Where(e => e.Sequence > afterSequence).Take(take).ToArray());
    }
}

/// <summary>bUnit: every listed backtest run links to its own page, which shows its metrics, curve and configuration.</summary>
public sealed class BacktestRunPageTests : MudTestContext
{
    public BacktestRunPageTests()
    {
        ctx.Services.AddSingleton<IFirmMonitor>(new SampleFirmMonitor());
    }

    [Fact]
    public void A_listed_run_links_to_a_page_with_its_metrics_curve_and_configuration()
    {
        var list = ctx.Render<Backtests>();
        Assert.Equal("backtests/run-0001", list.Find("[data-testid=backtest-link]").GetAttribute("href"));

        var page = ctx.Render<BacktestRun>(p => p.Add(c => c.Id, "run-0001"));
        var metrics = page.FindAll("[data-testid=metric]").Select(r => r.TextContent.Trim()).ToArray();
        Assert.Contains(metrics, m => m.StartsWith("Sortino") && m.EndsWith("1.92"));
        Assert.Contains(metrics, m => m.StartsWith("Trades") && m.EndsWith("212"));
        Assert.Contains("\"slow\": 50", page.Find("[data-testid=backtest-config]").TextContent);
        Assert.NotEmpty(page.FindAll("[data-testid=backtest-equity-chart] svg"));
        // The run's execution: shortfall per algorithm, one row each, notional-weighted bp and the money it cost
        var execution = page.FindAll("[data-testid=execution-row]").Select(r => r.TextContent).ToArray();
        Assert.Equal(2, execution.Length);
        Assert.Contains("vwap", execution[1]);
        Assert.Contains("48.51", execution[1]);
        Assert.Contains("38,288.00", execution[1]);
    }

    [Fact]
    public void An_unknown_run_id_says_it_is_not_in_the_reports_folder() =>
        Assert.Contains("run-9999", ctx.Render<BacktestRun>(p => p.Add(c => c.Id, "run-9999")).Find("[data-testid=backtest-missing]").TextContent);
}
