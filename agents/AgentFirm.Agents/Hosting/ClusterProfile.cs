using System.Net;
using AgentFirm.Agents.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;

namespace AgentFirm.Agents.Hosting;

/// <summary>
/// The cluster profile: the firm's grains on N silos that find each other through Redis, keep grain state and
/// reminders there, and write the ledger to PostgreSQL. Every silo of a cluster calls this with the same settings.
/// </summary>
public static class ClusterProfile
{
    /// <summary>
    /// Declares a silo dead about a second after it stops answering probes (the defaults take 10-15 s): one
    /// missed-probe vote is enough, and every silo rereads the table every two seconds.
    /// </summary>
    public static void FastMembership(ClusterMembershipOptions o)
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.NumVotesForDeathDeclaration = 1;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
    }

    public static ISiloBuilder AddAgentFirmCluster(this ISiloBuilder silo, FirmSiloSettings firm, ClusterSettings cluster)
    {
        cluster.Validate();
        // The firm's services first; the storage and the ledger store registered below replace the embedded ones.
        silo.AddAgentFirm(firm);
        var redis = cluster.RedisOptions();
        silo.Configure<ClusterOptions>(o => { o.ServiceId = cluster.ServiceId; o.ClusterId = cluster.ClusterId; })
            .ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(IPAddress.Parse(cluster.AdvertisedAddress)))
            .UseRedisClustering(o => o.ConfigurationOptions = redis)
            .AddRedisGrainStorage(AgentFirmStorage.Name, o => { o.ConfigurationOptions = redis; o.GrainStorageSerializer = new JsonStateSerializer(); })
            .UseRedisReminderService(o => o.ConfigurationOptions = redis)
            .Configure<ClusterMembershipOptions>(FastMembership)
            .Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
        var services = silo.Services;
        // A firm's grains live together on the silo of its meta-controller (calls between them stay in process);
        // when that silo dies they all reactivate together elsewhere, and the driver replays the firm there.
        services.AddSingleton<PlacementStrategy>(new PreferLocalPlacement());
        services.AddSingleton(new PostgresDatabase(cluster.Postgres));
        services.AddSingleton<ILedgerStore, PostgresLedgerStore>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrator>();
        return silo;
    }

    /// <summary>A client of the cluster: finds the gateways through Redis and gives up on a call to a dead silo after the response timeout.</summary>
    public static IClientBuilder UseAgentFirmCluster(this IClientBuilder client, ClusterSettings cluster)
    {
        cluster.Validate();
        var redis = cluster.RedisOptions();
        return client
            .UseRedisClustering(o => o.ConfigurationOptions = redis)
            .Configure<ClusterOptions>(o => { o.ServiceId = cluster.ServiceId; o.ClusterId = cluster.ClusterId; })
            .Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout)
            // Learn of a dead gateway within a second or two rather than the default minute.
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(1));
    }

    /// <summary>Brings the database schema up to date while the silo starts, before any grain can write the ledger.</summary>
    private sealed class SchemaMigrator(PostgresDatabase database, ILogger<SchemaMigrator> logger) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) => lifecycle.Subscribe(nameof(SchemaMigrator), ServiceLifecycleStage.RuntimeInitialize, async ct =>
        {
            var applied = await database.MigrateAsync(ct);
            if (applied.Count > 0) logger.LogWarning("Cluster database: applied schema migration(s) {Versions}", string.Join(", ", applied));
        });
    }
}

/// <summary>A client of a running cluster (the `--cluster` verbs, the tests): a grain factory and nothing else.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterConnection(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClusterConnection> ConnectAsync(ClusterSettings cluster, CancellationToken ct)
    {
        cluster.Validate();
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
        builder.UseOrleansClient(client => client.UseAgentFirmCluster(cluster));
        var host = builder.Build();
        await host.StartAsync(ct);
        return new ClusterConnection(host);
    }

    public async ValueTask DisposeAsync()
    {
        try { await _host.StopAsync(); }
        finally { _host.Dispose(); }
    }
}
