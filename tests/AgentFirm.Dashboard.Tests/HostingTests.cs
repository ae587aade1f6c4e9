using Microsoft.AspNetCore.Builder;

namespace AgentFirm.Dashboard.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task Mapping_the_dashboard_without_a_firm_monitor_fails_at_start_up_with_a_message()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(HostingTests).Assembly.GetName().Name });
        builder.Services.AddAgentFirmDashboard();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapAgentFirmDashboard());
        Assert.Contains("IFirmMonitor", error.Message);
    }
}
