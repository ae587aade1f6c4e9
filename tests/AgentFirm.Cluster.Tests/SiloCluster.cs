using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Cluster.Tests;

/// <summary>
/// Redis, PostgreSQL and three silo processes shared by the failover tests, with a client in this process. The
/// reference run (the same firm backtest with nothing killed) is computed once and compared against.
/// </summary>
public sealed class SiloCluster : IAsyncLifetime
{
    public const int Silos = 3;
    private readonly SiloProcess?[] _silos = new SiloProcess?[Silos];
    private readonly (int Silo, int Gateway)[] _ports = Enumerable.Range(0, Silos).Select(_ => (LoopbackPort.Free(), LoopbackPort.Free())).ToArray();
    private Task<FirmRunResult>? _reference;

    public string? Unavailable { get; private set; } = LocalServers.Unavailable();
    public LocalServers Servers { get; private set; } = null!;
    public ClusterSettings Settings { get; private set; } = null!;
    public ClusterConnection Connection { get; private set; } = null!;
    public IClusterClient Client => Connection.Client;

    public async Task InitializeAsync()
    {
        if (Unavailable is not null) return;
        Servers = await LocalServers.StartAsync();
        // A fresh cluster id per run (a killed silo stays "Active" in Redis under its id); grain state is per service id.
        Settings = Servers.Settings($"test-{Guid.NewGuid():N}");
        await Task.WhenAll(Enumerable.Range(0, Silos).Select(StartSiloAsync));
        Connection = await ClusterConnection.ConnectAsync(Settings, CancellationToken.None);
    }

    public async Task StartSiloAsync(int index) => _silos[index] = await SiloProcess.StartAsync(Settings, _ports[index].Silo, _ports[index].Gateway);

    public SiloProcess Silo(int index) => _silos[index]!;

    /// <summary>The silo process that hosts this grain's activation now.</summary>
    public async Task<int> HostOfAsync(IAddressable grain)
    {
        var address = await Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        var port = address?.Endpoint.Port ?? throw new InvalidOperationException("the grain has no activation");
        return Array.FindIndex(_ports, p => p.Silo == port);
    }

    /// <summary>The silos hosting any grain whose id names this run.</summary>
    public async Task<int[]> HostsOfRunAsync(string runId)
    {
        var stats = await Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return stats.Where(s => s.GrainId.ToString().Contains(runId, StringComparison.Ordinal))
            .Select(s => Array.FindIndex(_ports, p => p.Silo == s.SiloAddress.Endpoint.Port)).Distinct().ToArray();
    }

    /// <summary>The firm on the simulator's daily year, with nothing killed, once per test run.</summary>
    public Task<FirmRunResult> ReferenceAsync() => _reference ??= RunFirmAsync($"reference-{Guid.NewGuid():N}", null);

    /// <summary>Runs the firm backtest as a cluster client; <paramref name="atStep"/> runs a disruption before that step.</summary>
    public async Task<FirmRunResult> RunFirmAsync(string runId, (int Step, Func<string, Task> Disrupt)? atStep)
    {
        var (market, feed) = SimulatedYear();
        var firm = new FirmStrategy(Client, runId, feed) { Replayable = true };
        IStrategy driver = atStep is { } d ? new DisruptAtStep(firm, d.Step, () => d.Disrupt(runId)) : firm;
        var result = await new BacktestEngine(new BacktestOptions()).RunAsync(market, driver);
        var ledger = await Client.GetGrain<IPortfolioGrain>(runId).EntriesAsync(0, int.MaxValue);
        return new FirmRunResult(result, ledger, firm.Replay!);
    }

    public static (MarketSeries[] Market, SideDataFeed Feed) SimulatedYear() => SimulatedFirmData.From(new MarketSimulator(new SimulatorOptions
    {
        Seed = 11, Days = 200, Timeframe = Timeframe.Day, Assets = [AssetProfile.For("BTC-USDT"), AssetProfile.For("ETH-USDT")],
    }).Run());

    public async Task DisposeAsync()
    {
        if (Unavailable is not null) return;
        try { await Connection.DisposeAsync(); }
        finally
        {
            foreach (var silo in _silos) silo?.Dispose();
            await Servers.DisposeAsync();
        }
    }

    private sealed class DisruptAtStep(IStrategy inner, int step, Func<Task> disrupt) : IStrategy
    {
        private int _step;
        public string Name => inner.Name;

        public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            if (++_step == step) await disrupt();
            await inner.OnBarAsync(context, cancellationToken);
        }
    }
}

public sealed record FirmRunResult(BacktestResult Result, LedgerEntry[] Ledger, FirmReplay Replay);

[CollectionDefinition(Name)]
public sealed class SiloClusterCollection : ICollectionFixture<SiloCluster>
{
    public const string Name = "silo cluster";
}
