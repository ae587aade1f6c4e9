using AgentFirm.Agents;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Host.Sweeps;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace AgentFirm.Host.Cli;

/// <summary>
/// A silo with its own small web endpoint (`agentfirm silo --http URL`): the Orleans Dashboard under /orleans (with a
/// prefix, so it never takes "/"), the runtime's and the firm's metrics for Prometheus on /metrics (OpenTelemetry: Orleans'
/// own meters and <see cref="Telemetry.FirmMetrics"/>) and /healthz. Loopback only: none of it has sign-in yet.
/// </summary>
public static class SiloWeb
{
    /// <summary>Orleans' meters (grain calls, activations, messaging, membership) as it names them.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";

    public static void CheckLoopback(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
                throw new BadInputException($"--http '{url}' is not an http:// address such as http://127.0.0.1:8081.");
            if (!uri.IsLoopback)
                throw new BadInputException($"--http '{url}' binds beyond loopback: the silo's dashboard and metrics have no sign-in yet, so they bind 127.0.0.1 or localhost only.");
        }
    }

    public static IHost Build(ClusterSettings cluster, FirmSiloSettings firm)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(cluster.Http!);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        builder.UseOrleans(silo => silo.AddAgentFirmCluster(firm, cluster).AddSweeps().AddDashboard().AddIncomingGrainCallFilter<Telemetry.FirmMetrics>());
        builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(OrleansMeter, Telemetry.FirmMetrics.MeterName).AddPrometheusExporter());
        builder.Services.AddHealthChecks();
        var app = builder.Build();
        app.MapOrleansDashboard(routePrefix: "/orleans");
        app.MapPrometheusScrapingEndpoint();
        app.MapHealthChecks("/healthz");
        return app;
    }
}
