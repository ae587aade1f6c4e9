using AgentFirm.Dashboard.Components;
using AgentFirm.Dashboard.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AgentFirm.Dashboard;

/// <summary>
/// The two calls a host makes to serve the dashboard: <c>builder.Services.AddAgentFirmDashboard()</c> and
/// <c>app.MapAgentFirmDashboard()</c>. The host also registers its <see cref="IFirmMonitor"/> (a singleton).
/// </summary>
public static class DashboardHostingExtensions
{
    public static IServiceCollection AddAgentFirmDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        return services;
    }

    /// <summary>
    /// Antiforgery, static assets (MudBlazor's and ours under <c>_content/</c>) and the interactive-server pages.
    /// Static assets come from the host's <c>{ApplicationName}.staticwebassets.endpoints.json</c>: present after a
    /// build of an Sdk.Web project (files served from the NuGet cache only when the environment is Development or
    /// the host calls <c>UseStaticWebAssets()</c>) and after <c>dotnet publish</c> (files under wwwroot).
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder MapAgentFirmDashboard(this WebApplication app)
    {
        // Fail at start-up with a message, not with a circuit error on the first page view.
        var isService = app.Services.GetRequiredService<IServiceProviderIsService>();
        if (!isService.IsService(typeof(IFirmMonitor)))
            throw new InvalidOperationException(
                $"The dashboard needs an {nameof(IFirmMonitor)}: register one (e.g. services.AddSingleton<IFirmMonitor, MyMonitor>()) before MapAgentFirmDashboard().");

        app.UseAntiforgery();
        app.MapStaticAssets();
        return app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
