using AgentFirm.Dashboard.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Dashboard.Tests;

/// <summary>
/// A real Kestrel host on 127.0.0.1 (a free port) serving the dashboard over a <see cref="SampleFirmMonitor"/>.
/// Static assets: the test project uses Sdk.Web, so its build writes
/// AgentFirm.Dashboard.Tests.staticwebassets.{runtime,endpoints}.json beside the binaries. ApplicationName
/// must name this assembly (the default would be the test runner's), and the environment is Development so
/// the host reads the runtime manifest (UseStaticWebAssets) and serves _content/MudBlazor/* straight from
/// the NuGet cache and _content/AgentFirm.Dashboard/* from ui/.../wwwroot. In Production an unpublished
/// build maps the endpoints but finds no files, and those requests answer 500.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    private WebApplication? app;

    public SampleFirmMonitor Monitor { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = typeof(DashboardHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0"); // port 0: Kestrel picks a free one
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<IFirmMonitor>(Monitor);
        builder.Services.AddAgentFirmDashboard();

        app = builder.Build();
        app.MapAgentFirmDashboard();
        await app.StartAsync();
        BaseAddress = new Uri(app.Urls.Single(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)) + "/");
    }

    public async Task DisposeAsync()
    {
        if (app is null) return;
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
