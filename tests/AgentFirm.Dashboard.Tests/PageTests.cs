using AgentFirm.Core;
using AgentFirm.Dashboard.Components.Firm;
using AgentFirm.Dashboard.Components.Pages;
using AgentFirm.Dashboard.Model;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFirm.Dashboard.Tests;

/// <summary>bUnit: the Risk, Decisions and Agents pages and their parts over the sample firm.</summary>
public sealed class PageTests : MudTestContext
{
    private readonly SampleFirmMonitor monitor = new(initialSteps: 40);

    public PageTests()
    {
        ctx.Services.AddSingleton<IFirmMonitor>(monitor);
        ctx.Services.AddSingleton<IRiskControls>(monitor);
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void Risk_page_shows_every_limit_against_its_use()
    {
        var cut = ctx.Render<Risk>();

        var gauges = cut.FindAll("[data-testid=risk-limits] [data-testid=limit-gauge]");
        Assert.Equal(["Day loss", "Drawdown", "Risk per trade", "Loss budget", "Gross exposure", "Net exposure", "Concentration"],
            gauges.Select(g => g.GetAttribute("data-limit")));
        var risk = monitor.Current.Risk;
        var gross = gauges.Single(g => g.GetAttribute("data-limit") == "Gross exposure").TextContent;
        Assert.Contains($"{risk.Gross:0.00}x of 1.50x", gross);
        Assert.Contains("1.10% of 5.00%", gauges[0].TextContent);
        // The sample's day has lost 1.1 % of a 5 % limit and its drawdown is smaller, so the day binds:
        // (0.05 - 0.011) / (1 - 0.011) = 3.94 % of equity left, half of it committable.
        Assert.True(risk.Drawdown < 0.11, $"drawdown {risk.Drawdown}");
        Assert.Contains("3.94% left, 1.97% committable", gauges.Single(g => g.GetAttribute("data-limit") == "Loss budget").TextContent);
    }

    [Theory]
    [InlineData(0.14, 0.0, 0.01 / 0.86)]   // near the drawdown limit: (0.15 - 0.14) / (1 - 0.14)
    [InlineData(0.02, 0.04, 0.01 / 0.96)]  // the day binds: (0.05 - 0.04) / (1 - 0.04)
    [InlineData(0.16, 0.0, 0.0)]           // past the drawdown limit: nothing left
    public void The_loss_budget_left_is_what_the_nearer_limit_still_allows_of_current_equity(double drawdown, double dayLoss, double expected)
    {
        var risk = new RiskStatus(false, null, false, dayLoss, drawdown, DayLossLimit: 0.05, MaxDrawdownLimit: 0.15) { LossBudgetUse = 0.5 };
        Assert.Equal(expected, risk.LossBudgetLeft, 12);
    }

    [Fact]
    public void Kill_switch_and_reset_on_the_risk_page_land_in_the_audit_latest_first()
    {
        var cut = ctx.Render<Risk>();

        cut.Find("input[data-testid=risk-operator]").Input("Ada");
        cut.Find("[data-testid=risk-kill]").Click();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=risk-reset]")), TimeSpan.FromSeconds(5));
        cut.Find("[data-testid=risk-reset]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["reset", "kill switch"],
            cut.FindAll("[data-testid=audit-row]").Select(r => r.GetAttribute("data-action"))), TimeSpan.FromSeconds(5));
        Assert.All(monitor.Current.Audit, e => Assert.Equal("Ada", e.Who));
    }

    [Fact]
    public void Veto_log_search_keeps_only_the_vetoes_whose_reason_matches()
    {
        var vetoes = new[]
        {
            new VetoRow(DateTimeOffset.UnixEpoch, 2, "ETH-USD", 3, "gross exposure would exceed 150% of equity"),
            new VetoRow(DateTimeOffset.UnixEpoch, 1, "BTC-USD", 1, "firm halted (max drawdown)"),
        };
        var cut = ctx.Render<VetoLog>(p => p.Add(c => c.Vetoes, vetoes).Add(c => c.Filterable, true));
        Assert.Equal(2, cut.FindAll("[data-testid=veto-reason]").Count);

        cut.Find("input[data-testid=veto-search]").Input("HALTED");

        cut.WaitForAssertion(() => Assert.Equal(["firm halted (max drawdown)"],
            cut.FindAll("[data-testid=veto-reason]").Select(r => r.TextContent.Trim())), TimeSpan.FromSeconds(5));
        Assert.Contains("1 of 2 vetoed", cut.Markup);
    }

    [Fact]
    public void Decisions_page_pages_through_the_held_steps_and_filters_by_verdict()
    {
        var cut = ctx.Render<Decisions>();
        Assert.Equal(25, cut.FindAll("[data-testid=decision-row]").Count);
        Assert.Contains("40 matching of the newest 40 steps held", cut.Find("[data-testid=decision-count]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=decision-detail]")); // a result list starts closed

        // The sample vetoes a proposal at every step whose number (plus the symbol's index) is a multiple of four.
        var vetoed = monitor.Current.Decisions.Where(d => d.Verdicts.Any(v => v.Action == RiskAction.Veto)).Select(d => d.Step.ToString()).ToArray();
        cut.InvokeAsync(() => cut.FindComponent<MudBlazor.MudSelect<RiskAction?>>().Instance.ValueChanged.InvokeAsync(RiskAction.Veto));

        cut.WaitForAssertion(() => Assert.Equal(vetoed, cut.FindAll("[data-testid=decision-row]").Select(r => r.GetAttribute("data-step"))), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void An_opened_step_shows_its_fills_and_the_analysts_dropped()
    {
        var step = monitor.Current.Decisions.First(d => d.Dropped.Count > 0);
        var cut = ctx.Render<DecisionStepDetail>(p => p.Add(c => c.Step, step));

        Assert.Contains("causal-feature", cut.Find("[data-testid=dropped]").TextContent);
        var fill = Assert.Single(cut.FindAll("[data-testid=fill]"));
        Assert.Contains("buy", fill.TextContent);
        Assert.Contains("taker", fill.TextContent);
    }

    [Fact]
    public void Agents_page_has_a_row_a_card_and_a_line_per_analyst()
    {
        var cut = ctx.Render<Agents>();

        var names = monitor.Current.Agents.Select(a => a.Name).ToArray();
        Assert.Equal(4, names.Length);
        Assert.Equal(names, cut.FindAll("[data-testid=agent-row]").Select(r => r.TextContent.Trim()));
        Assert.Equal(names, cut.FindAll("[data-testid=agent-card]").Select(c => c.GetAttribute("data-agent")));
        // Each card holds the analyst's newest view on each of the two symbols.
        Assert.Equal(8, cut.FindAll("[data-testid=agent-latest-view]").Count);
        foreach (var chart in new[] { "weight-chart", "hit-chart", "calibration-chart" })
            Assert.Equal(names.Length, cut.FindAll($"[data-testid={chart}] svg path.mud-chart-serie, [data-testid={chart}] svg path.mud-chart-line").Count);
    }
}
