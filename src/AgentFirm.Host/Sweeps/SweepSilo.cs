using AgentFirm.Agents.Grains;
using AgentFirm.Agents.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Host.Sweeps;

/// <summary>What lets a silo run sweep runs, and the one local silo an embedded (no --cluster) sweep runs on.</summary>
public static class SweepSilo
{
    /// <summary>Every silo `agentfirm` starts can run sweep runs: the backtest verb in process, bounded per sweep.</summary>
    public static ISiloBuilder AddSweeps(this ISiloBuilder silo)
    {
        silo.Services.AddSingleton<ISweepWork, BacktestVerbWork>();
        silo.Services.AddSingleton<SweepSlots>();
        return silo;
    }

    /// <summary>A one-silo cluster in this process on free loopback ports, for a sweep without --cluster.</summary>
    public static async Task<IHost> StartLocalAsync(CancellationToken ct)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: LoopbackPort.Free(), gatewayPort: LoopbackPort.Free(), serviceId: "agentfirm-sweep", clusterId: $"sweep-{Guid.NewGuid():N}")
            .AddSweeps());
        var host = builder.Build();
        await host.StartAsync(ct);
        return host;
    }
}
