using System.CommandLine;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using Microsoft.Extensions.Configuration;

namespace AgentFirm.Host.Cli;

/// <summary>
/// Where the cluster is (AgentFirm:Cluster in appsettings.json, the environment, then these flags): shared by
/// `agentfirm silo` and every verb that runs the firm with --cluster.
/// </summary>
public sealed class ClusterFlags
{
    public const string Section = "AgentFirm:Cluster";

    public Option<string?> Redis { get; } = new("--redis") { Description = "Redis address of the cluster (AgentFirm:Cluster:Redis, e.g. 127.0.0.1:6379)" };
    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string of the ledger (AgentFirm:Cluster:Postgres)" };
    public Option<string?> ClusterId { get; } = new("--cluster-id") { Description = "Cluster incarnation silos and clients share (AgentFirm:Cluster:ClusterId)" };
    public Option<string?> ServiceId { get; } = new("--service-id") { Description = "Deployment name grain state is keyed by (AgentFirm:Cluster:ServiceId)" };

    public IEnumerable<Option> All => [Redis, Postgres, ClusterId, ServiceId];

    /// <summary>The file and environment settings with the flags on top; a bad value is exit 2 naming its key.</summary>
    public ClusterSettings Resolve(ParseResult parse, AgentFirmSettings settings)
    {
        ClusterSettings cluster;
        try
        {
            cluster = settings.Configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
        }
        catch (InvalidOperationException ex)
        {
            throw ConfigurationErrors.Translate(ex, Section);
        }
        if (parse.GetValue(Redis) is { } redis) cluster.Redis = redis;
        if (parse.GetValue(Postgres) is { } postgres) cluster.Postgres = postgres;
        if (parse.GetValue(ClusterId) is { } clusterId) cluster.ClusterId = clusterId;
        if (parse.GetValue(ServiceId) is { } serviceId) cluster.ServiceId = serviceId;
        return Validated(cluster);
    }

    public static ClusterSettings Validated(ClusterSettings cluster)
    {
        try
        {
            cluster.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new BadInputException(ex.Message);
        }
        return cluster;
    }
}
