using AgentFirm.Agents.Firm;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Risk;
using Orleans.TestingHost;

namespace AgentFirm.Agents.Tests;

/// <summary>Two silos in one process sharing one SQLite file, as a real embedded cluster would.</summary>
public class FirmCluster : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "agentfirm-cluster", Guid.NewGuid().ToString("N"));
    public InProcessTestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The risk limits every silo of this cluster enforces.</summary>
    protected virtual RiskLimits Limits => new();

    /// <summary>The technical analyst's forecaster, if any (none by default, as in a plain silo).</summary>
    protected virtual AgentFirm.Quant.Analysis.IForecastToolFactory? Forecaster => null;

    /// <summary>The execution agent's set-up and the VPIN rule (naive and off by default, as in a plain silo).</summary>
    protected virtual ExecutionSettings Execution => new();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddAgentFirm(new FirmSiloSettings { DatabasePath = Path.Combine(Folder, "firm.db"), RiskLimits = Limits, Forecaster = Forecaster, Execution = Execution }));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>A seeded simulated market: daily bars, headlines and on-chain series for two assets.</summary>
    public static (MarketSeries[] Market, SideDataFeed Feed) SimulatedYear(long seed = 11, int days = 365)
    {
        var result = new MarketSimulator(new SimulatorOptions
        {
            Seed = seed, Days = days, Timeframe = Timeframe.Day, Assets = [AssetProfile.For("BTC-USDT"), AssetProfile.For("ETH-USDT")],
        }).Run();
        return SimulatedFirmData.From(result);
    }
}

/// <summary>A cluster whose risk grain halts at a 5% drawdown, so a test can reach the limit with a modest book.</summary>
public sealed class TightRiskCluster : FirmCluster
{
    protected override RiskLimits Limits => new() { MaxDrawdown = 0.05 };
}
