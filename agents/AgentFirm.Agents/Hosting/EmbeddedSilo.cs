using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Agents.Hosting;

/// <summary>
/// A one-silo Orleans cluster inside this process on free loopback ports, for running the firm in a
/// backtest without disturbing a live host that may hold the default ports.
/// </summary>
public sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedSilo(IHost host) => _host = host;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<EmbeddedSilo> StartAsync(FirmSiloSettings settings, CancellationToken ct)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: LoopbackPort.Free(), gatewayPort: LoopbackPort.Free(), serviceId: "agentfirm-backtest", clusterId: $"backtest-{Guid.NewGuid():N}")
            .AddAgentFirm(settings));
        var host = builder.Build();
        await host.StartAsync(ct);
        return new EmbeddedSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

}
