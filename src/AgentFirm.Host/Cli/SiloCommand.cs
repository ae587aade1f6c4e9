using System.CommandLine;
using AgentFirm.Agents;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Host.Sweeps;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm silo --profile cluster`: one silo of the firm's cluster (membership, grain state and reminders on
/// Redis, the ledger on PostgreSQL), running until Ctrl+C or SIGTERM. Start as many as you like with different
/// ports; clients (`backtest --strategy firm --cluster`, the live session with `--cluster`) find them through Redis.
/// </summary>
public static class SiloCommand
{
    public const string ReadyLine = "silo ready:";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var cluster = new ClusterFlags();
        var profile = new Option<string>("--profile") { Description = "cluster (Redis + PostgreSQL); the embedded profile is the plain `agentfirm` command", DefaultValueFactory = _ => "cluster" };
        var siloPort = new Option<int?>("--silo-port") { Description = "Silo-to-silo port (AgentFirm:Cluster:SiloPort, default 11111)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Client gateway port (AgentFirm:Cluster:GatewayPort, default 30000)" };
        var address = new Option<string?>("--address") { Description = "Address other silos and clients reach this one on (AgentFirm:Cluster:AdvertisedAddress, default 127.0.0.1)" };
        var http = new Option<string?>("--http") { Description = "Loopback address for the silo's Orleans Dashboard (/orleans), Prometheus metrics (/metrics) and /healthz (AgentFirm:Cluster:Http), e.g. http://127.0.0.1:8081" };
        var command = new Command("silo", "Run one silo of the firm's Orleans cluster (Redis membership and state, PostgreSQL ledger).");
        foreach (var o in cluster.All.Concat([profile, siloPort, gatewayPort, address, http])) command.Options.Add(o);

        command.SetAction(async (parse, ct) =>
        {
            var chosen = parse.GetValue(profile)!;
            if (!chosen.Equals("cluster", StringComparison.OrdinalIgnoreCase))
                throw new BadInputException($"--profile '{chosen}' is not a silo profile: use cluster (the embedded profile runs with plain `agentfirm`).");
            var settings = AgentFirmSettings.Load();
            var where = cluster.Resolve(parse, settings);
            if (parse.GetValue(siloPort) is { } sp) where.SiloPort = sp;
            if (parse.GetValue(gatewayPort) is { } gp) where.GatewayPort = gp;
            if (parse.GetValue(address) is { } a) where.AdvertisedAddress = a;
            if (parse.GetValue(http) is { } h) where.Http = h;
            ClusterFlags.Validated(where);
            if (where.Http is { } urls) SiloWeb.CheckLoopback(urls);

            using var host = Build(settings, where, stderr);
            await host.StartAsync(ct);
            await stdout.WriteLineAsync($"{ReadyLine} {where.Describe()}{(where.Http is null ? "" : $"; dashboard {where.Http.TrimEnd('/')}/orleans, metrics /metrics")}. Ctrl+C stops it.");
            await stdout.FlushAsync(ct);
            await host.WaitForShutdownAsync(ct);
            await host.StopAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }

    public static IHost Build(AgentFirmSettings settings, ClusterSettings cluster, TextWriter stderr)
    {
        if (cluster.Http is not null) return SiloWeb.Build(cluster, FirmSettings(settings, stderr));
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // Logs to stderr: stdout carries only the ready line a script or test waits for.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).AddSimpleConsole(o => o.SingleLine = true)
            .AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning);
        builder.UseOrleans(silo => silo.AddAgentFirmCluster(FirmSettings(settings, stderr), cluster).AddSweeps());
        return builder.Build();
    }

    /// <summary>The firm every silo hosts, from the same AgentFirm:* settings the embedded host reads.</summary>
    public static FirmSiloSettings FirmSettings(AgentFirmSettings settings, TextWriter log)
    {
        var loggers = LoggerFactory.Create(l => l.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        return new FirmSiloSettings
        {
            // Unused in the cluster profile (state on Redis, ledger on PostgreSQL); the embedded store is never opened.
            DatabasePath = Path.Combine(settings.DataFolder, "agentfirm.db"),
            RiskLimits = settings.Risk,
            Strategic = settings.Strategic,
            Tactical = settings.Tactical,
            OneWayCostBps = settings.OneWayCostBps,
            Firm = settings.FirmOptions(),
            Minds = settings.CreateFirmMinds(loggers),
            Sentiment = settings.Sentiment,
            OnnxLoader = settings.SentimentOnnxLoader(loggers),
            Forecaster = settings.Forecaster.CreateFactory(message => log.WriteLine($"forecaster: {message}")),
        };
    }
}
