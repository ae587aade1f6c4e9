using AgentFirm.Dashboard.Components.Firm;
using AgentFirm.Dashboard.Components.Pages;
using AgentFirm.Dashboard.Model;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFirm.Dashboard.Tests;

/// <summary>bUnit: components rendered in memory, no server or browser.</summary>
public sealed class ComponentTests : MudTestContext
{
    private readonly SampleFirmMonitor monitor = new();

    public ComponentTests()
    {
        ctx.Services.AddSingleton<IFirmMonitor>(monitor);
    }

    [Fact]
    public void Decision_steps_render_one_marked_row_per_step_with_the_latest_opened()
    {
        var steps = monitor.Current.Decisions;
        var cut = ctx.Render<DecisionSteps>(p => p.Add(c => c.Steps, steps));

        var rows = cut.FindAll("[data-testid=decision-row]");
        Assert.Equal(steps.Count, rows.Count);
        Assert.Equal(steps[0].Step.ToString(), rows[0].GetAttribute("data-step"));
        var detail = Assert.Single(cut.FindAll("[data-testid=decision-detail]"));
        Assert.Equal(steps[0].Step.ToString(), detail.GetAttribute("data-step"));
        Assert.Equal(steps[0].Views.Count, cut.FindAll("[data-testid=agent-view]").Count);
    }

    [Fact]
    public void Clicking_a_step_opens_it_and_clicking_again_closes_it()
    {
        var steps = monitor.Current.Decisions;
        var cut = ctx.Render<DecisionSteps>(p => p.Add(c => c.Steps, steps));
        var older = steps[2].Step.ToString();

        cut.Find($"[data-testid=decision-row][data-step='{older}']").Click();
        var detail = Assert.Single(cut.FindAll($"[data-testid=decision-detail][data-step='{older}']"));
        // What opened is that step's own detail, not text from the latest step, which stays open beside it:
        // its risk reasons and meta rationales, in order, read from inside the opened row only.
        Assert.NotEqual(steps[0].Verdicts.Select(v => v.Reason), steps[2].Verdicts.Select(v => v.Reason));
        Assert.Equal(steps[2].Verdicts.Select(v => v.Reason),
            detail.QuerySelectorAll("[data-testid=risk-verdict]").Select(row => row.Children[^1].TextContent.Trim()));
        Assert.Equal(steps[2].Decisions.Select(d => d.Rationale),
            detail.QuerySelectorAll("[data-testid=meta-decision]").Select(row => row.Children[^1].TextContent.Trim()));
        Assert.Equal(steps[2].Views.Count, detail.QuerySelectorAll("[data-testid=agent-view]").Length);
        // Each target says what sizing made of it, a bearish view on spot included.
        Assert.Equal(steps[2].Decisions.Select(d => d.Sizing),
            detail.QuerySelectorAll("[data-testid=sizing]").Select(cell => cell.TextContent.Trim()));

        cut.Find($"[data-testid=decision-row][data-step='{older}']").Click();
        Assert.Empty(cut.FindAll($"[data-testid=decision-detail][data-step='{older}']"));
    }

    [Fact]
    public async Task Overview_redraws_when_the_firm_changes_and_unsubscribes_when_disposed()
    {
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var cut = ctx.Render<Overview>();
        Assert.Equal(1, monitor.SubscriberCount);

        var next = monitor.PublishNextStep();
        cut.WaitForAssertion(
            () => Assert.NotEmpty(cut.FindAll($"[data-testid=decision-row][data-step='{next.Step}']")),
            TimeSpan.FromSeconds(10));

        await ctx.DisposeComponentsAsync();
        Assert.Equal(0, monitor.SubscriberCount);
    }

    [Fact]
    public void Overview_does_not_subscribe_while_prerendering()
    {
        ctx.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        ctx.Render<Overview>();
        Assert.Equal(0, monitor.SubscriberCount);
    }

    [Fact]
    public void Equity_chart_shows_a_message_before_the_first_step()
    {
        var cut = ctx.Render<EquityChart>(p => p.Add(c => c.Curve, Array.Empty<EquityPoint>()));
        Assert.Empty(cut.FindAll("svg"));
        Assert.Contains("No equity yet", cut.Markup);
    }

    [Fact]
    public void Backtests_table_shows_each_run_with_its_metrics()
    {
        var cut = ctx.Render<BacktestRunsTable>(p => p.Add(c => c.Runs, monitor.Backtests));
        Assert.Contains("run-0001", cut.Markup);
        Assert.Contains("23.40%", cut.Markup);
        Assert.Contains("11.80%", cut.Markup); // max drawdown
    }
}
