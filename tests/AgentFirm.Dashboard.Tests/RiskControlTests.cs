using AgentFirm.Dashboard.Components.Firm;
using AgentFirm.Dashboard.Model;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFirm.Dashboard.Tests;

/// <summary>The operator's controls on the risk panel, rendered with bUnit against a recording host.</summary>
public sealed class RiskControlTests : MudTestContext
{
    private readonly RecordingControls controls = new();

    [Fact]
    public void Without_controls_from_the_host_the_panel_is_read_only()
    {
        var cut = ctx.Render<RiskStatusPanel>(p => p.Add(c => c.Risk, new RiskStatus(true, "drawdown 16%", false, 0, 0.16)));
        Assert.Empty(cut.FindAll("button"));
    }

    [Fact]
    public void A_halted_firm_is_reset_only_with_a_name_which_is_passed_to_the_risk_agent()
    {
        ctx.Services.AddSingleton<IRiskControls>(controls);
        var cut = ctx.Render<RiskStatusPanel>(p => p.Add(c => c.Risk, new RiskStatus(true, "drawdown 16%", false, 0, 0.16)));

        var reset = cut.Find("[data-testid=risk-reset]");
        Assert.True(reset.HasAttribute("disabled"));
        cut.Find("input[data-testid=risk-operator], [data-testid=risk-operator] input").Input("Ada");
        cut.Find("[data-testid=risk-reset]").Click();

        Assert.Equal(["reset by Ada"], controls.Calls);
        Assert.Empty(cut.FindAll("[data-testid=risk-kill]"));
    }

    [Fact]
    public void The_panel_shows_how_far_past_each_limit_the_book_went_and_the_resting_stops()
    {
        var risk = new RiskStatus(true, "max drawdown", false, 0.01, 0.16, 0.05, 0.15)
        {
            WorstDrawdown = 0.1684,
            WorstDayLoss = 0.04,
            Stops = ["BTC-USDT: sell 1.5 at 95.2"],
        };
        var cut = ctx.Render<RiskStatusPanel>(p => p.Add(c => c.Risk, risk));

        var overshoot = cut.Find("[data-testid=risk-overshoot]").TextContent;
        Assert.Contains("drawdown 16.84% (1.84% past the 15.00% limit)", overshoot);
        Assert.EndsWith("day loss 4.00%", overshoot.Trim());
        Assert.DoesNotContain("past the 5.00%", overshoot);
        Assert.Equal("Stop BTC-USDT: sell 1.5 at 95.2", Assert.Single(cut.FindAll("[data-testid=risk-stop]")).TextContent.Trim());
    }

    [Fact]
    public void A_trading_firm_offers_the_kill_switch()
    {
        ctx.Services.AddSingleton<IRiskControls>(controls);
        var cut = ctx.Render<RiskStatusPanel>(p => p.Add(c => c.Risk, RiskStatus.Normal));

        cut.Find("[data-testid=risk-kill]").Click();

        Assert.Equal([$"kill by {RiskStatusPanel.UnnamedOperator}: kill switch pressed on the dashboard"], controls.Calls);
        Assert.Empty(cut.FindAll("[data-testid=risk-reset]"));
    }

    [Fact]
    public void The_kill_switch_records_the_name_typed_beside_it()
    {
        ctx.Services.AddSingleton<IRiskControls>(controls);
        var cut = ctx.Render<RiskStatusPanel>(p => p.Add(c => c.Risk, RiskStatus.Normal));

        cut.Find("input[data-testid=risk-operator], [data-testid=risk-operator] input").Input("Grace");
        cut.Find("[data-testid=risk-kill]").Click();

        Assert.Equal(["kill by Grace: kill switch pressed on the dashboard"], controls.Calls);
    }

    private sealed class RecordingControls : IRiskControls
    {
        public List<string> Calls { get; } = new();

        public Task EngageKillSwitchAsync(string operatorName, string reason)
        {
            Calls.Add($"kill by {operatorName}: {reason}");
            return Task.CompletedTask;
        }

        public Task ResetAsync(string operatorName)
        {
            Calls.Add($"reset by {operatorName}");
            return Task.CompletedTask;
        }
    }
}
