using System.Net;
using Npgsql;
using StackExchange.Redis;

namespace AgentFirm.Agents.Hosting;

/// <summary>
/// The cluster profile (AgentFirm:Cluster, every key overridable by environment, e.g. AgentFirm__Cluster__Redis, and
/// by the silo command's flags): where Redis (membership, grain state, reminders) and PostgreSQL (ledger, results,
/// audit) are, and how this silo is reached. Connection strings may hold passwords: print <see cref="Describe"/> only.
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>StackExchange.Redis configuration string, e.g. 127.0.0.1:6379 (password=... allowed).</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";

    /// <summary>Npgsql connection string of the firm's database.</summary>
    public string Postgres { get; set; } = "Host=127.0.0.1;Port=5432;Username=postgres;Database=agentfirm";

    /// <summary>Names the deployment: grain state is keyed by it and survives a restart of every silo.</summary>
    public string ServiceId { get; set; } = "agentfirm";

    /// <summary>Names one incarnation of the cluster: silos and clients with the same id find each other.</summary>
    public string ClusterId { get; set; } = "agentfirm";

    /// <summary>Silo-to-silo port and the client gateway port of this silo.</summary>
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients use to reach this one.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The silo's own HTTP address (e.g. http://127.0.0.1:8081): the Orleans Dashboard under /orleans, Prometheus metrics on
    /// /metrics and /healthz. Null: none. Loopback only, since these pages have no sign-in yet.
    /// </summary>
    public string? Http { get; set; }

    /// <summary>How long a call may wait for its answer; a call in flight to a dead silo fails after this and the driver retries it.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Redis)) throw new ArgumentException("AgentFirm:Cluster:Redis is empty: give a Redis address such as 127.0.0.1:6379.");
        try { _ = ConfigurationOptions.Parse(Redis); }
        catch (ArgumentException ex) { throw new ArgumentException($"AgentFirm:Cluster:Redis is not a Redis configuration string: {ex.Message}"); }
        try { _ = new NpgsqlConnectionStringBuilder(Postgres); }
        catch (ArgumentException ex) { throw new ArgumentException($"AgentFirm:Cluster:Postgres is not a connection string: {ex.Message}"); }
        if (string.IsNullOrWhiteSpace(ServiceId)) throw new ArgumentException("AgentFirm:Cluster:ServiceId is empty.");
        if (string.IsNullOrWhiteSpace(ClusterId)) throw new ArgumentException("AgentFirm:Cluster:ClusterId is empty.");
        if (SiloPort is < 1 or > 65535) throw new ArgumentException($"AgentFirm:Cluster:SiloPort {SiloPort} is not a TCP port (1-65535).");
        if (GatewayPort is < 1 or > 65535) throw new ArgumentException($"AgentFirm:Cluster:GatewayPort {GatewayPort} is not a TCP port (1-65535).");
        if (SiloPort == GatewayPort) throw new ArgumentException($"AgentFirm:Cluster:SiloPort and GatewayPort are both {SiloPort}: they must differ.");
        if (!IPAddress.TryParse(AdvertisedAddress, out _)) throw new ArgumentException($"AgentFirm:Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.");
        if (ResponseTimeout <= TimeSpan.Zero) throw new ArgumentException("AgentFirm:Cluster:ResponseTimeout must be positive.");
    }

    /// <summary>Redis options that reconnect quickly after an outage (the default back-off waits up to 5 s).</summary>
    public ConfigurationOptions RedisOptions()
    {
        var options = ConfigurationOptions.Parse(Redis);
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.AbortOnConnectFail = false;
        return options;
    }

    /// <summary>The settings with every secret left out, for logs and the console.</summary>
    public string Describe()
    {
        var redis = ConfigurationOptions.Parse(Redis);
        var postgres = new NpgsqlConnectionStringBuilder(Postgres);
        return $"service {ServiceId}, cluster {ClusterId}, Redis {string.Join(",", redis.EndPoints.Select(EndPointText))}, " +
               $"PostgreSQL {postgres.Host}:{postgres.Port}/{postgres.Database} as {postgres.Username}, silo {AdvertisedAddress}:{SiloPort}, gateway {GatewayPort}";
    }

    private static string EndPointText(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => $"{ip.Address}:{ip.Port}",
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        _ => endPoint.ToString() ?? "?",
    };
}
