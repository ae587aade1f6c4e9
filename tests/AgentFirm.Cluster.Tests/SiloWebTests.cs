using AgentFirm.Agents.Hosting;

namespace AgentFirm.Cluster.Tests;

/// <summary>`agentfirm silo --http`: the Orleans Dashboard under /orleans (not "/"), Prometheus metrics and a health check.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class SiloWebTests(SiloCluster cluster)
{
    [SkippableFact]
    public async Task A_silo_serves_the_orleans_dashboard_under_its_prefix_metrics_and_health_on_loopback()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        // A one-silo cluster of its own on the same servers, so the failover tests' silos stay as they are.
        var http = $"http://127.0.0.1:{LoopbackPort.Free()}";
        using var silo = await SiloProcess.StartAsync(cluster.Servers.Settings($"web-{Guid.NewGuid():N}"), LoopbackPort.Free(), LoopbackPort.Free(), "--http", http);
        using var client = new HttpClient { BaseAddress = new Uri(http) };

        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
        var dashboard = await client.GetAsync("/orleans/");
        Assert.True(dashboard.IsSuccessStatusCode, $"/orleans/ answered {(int)dashboard.StatusCode}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/")).StatusCode); // "/" is not the dashboard's
        // Orleans' own meters reach the Prometheus endpoint once the runtime has done some work (membership, probes).
        string metrics = "";
        for (var i = 0; i < 50 && !metrics.Contains("orleans_", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200);
            metrics = await client.GetStringAsync("/metrics");
        }
        Assert.Contains("orleans_", metrics);
    }
}
