using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Cluster.Tests;

/// <summary>`agentfirm silo --http`: the Orleans Dashboard under /orleans (not "/"), Prometheus metrics (Orleans' and the firm's) and a health check.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class SiloWebTests(SiloCluster cluster)
{
    [SkippableFact]
    public async Task A_silo_serves_the_orleans_dashboard_under_its_prefix_metrics_and_health_on_loopback()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        // A one-silo cluster of its own on the same servers, so the failover tests' silos stay as they are.
        var http = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var settings = cluster.Servers.Settings($"web-{Guid.NewGuid():N}");
        using var silo = await SiloProcess.StartAsync(settings, LoopbackPort.Free(), LoopbackPort.Free(), "--http", http);
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

        // The firm's meters: a short firm run on this silo, then each agent's answer time, the vetoes and the fills.
        await using (var connection = await ClusterConnection.ConnectAsync(settings, CancellationToken.None))
        {
            var (market, feed) = SimulatedFirmData.From(new MarketSimulator(new SimulatorOptions
            {
                Seed = 3, Days = 80, Timeframe = Timeframe.Day, Assets = [AssetProfile.For("BTC-USDT"), AssetProfile.For("ETH-USDT")],
            }).Run());
            var run = await new BacktestEngine(new BacktestOptions()).RunAsync(market, new FirmStrategy(connection.Client, $"metrics-{Guid.NewGuid():N}", feed));
            Assert.NotEmpty(run.Fills);
        }
        for (var i = 0; i < 50 && !metrics.Contains("agentfirm_ledger_fills", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200);
            metrics = await client.GetStringAsync("/metrics");
        }
        Assert.Contains("agentfirm_agent_call_duration", metrics);
        foreach (var agent in new[] { "MetaController", "AnalystDesk", "Risk", "Execution", "Portfolio" }) Assert.Contains($"agent=\"{agent}\"", metrics);
        Assert.Contains("method=\"DecideAsync\"", metrics);
        Assert.Contains("agentfirm_risk_vetoes", metrics);
        Assert.Matches(@"agentfirm_ledger_fills[a-z_]*(\{[^}]*\})? [1-9]", metrics);
    }
}
