using AgentFirm.Agents.Firm;
using AgentFirm.Core;
using AgentFirm.Host.Cli;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Backtest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Host.Firm;

/// <summary>How the live session runs: on the simulator by default, or replaying files with --data.</summary>
public sealed record LiveSessionOptions
{
    /// <summary>Decision steps per second of wall time (the accelerated clock).</summary>
    public double Speed { get; init; } = 5;
    public long Seed { get; init; } = 42;
    public int Days { get; init; } = 365;
    public Timeframe Timeframe { get; init; } = Timeframe.Hour;
    public string? DataPath { get; init; }
    public IReadOnlyList<Instrument> Symbols { get; init; } = [];
    /// <summary>Stop the host after this many steps (0 = run to the end of the data, then idle).</summary>
    public int StopAfterSteps { get; init; }
    /// <summary>Run as a client of this cluster (`--cluster`) instead of hosting a silo in process.</summary>
    public AgentFirm.Agents.Hosting.ClusterSettings? Cluster { get; init; }
}

/// <summary>
/// The live session: the same engine and the same grains as a backtest, on an accelerated clock. The
/// simulated exchange is the venue; each step waits its turn so a person can watch the firm trade.
/// </summary>
public sealed class LiveSession(LiveSessionOptions options, IGrainFactory grains, FirmMonitor monitor, AgentFirmSettings settings,
    IHostApplicationLifetime lifetime, ILogger<LiveSession> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Step only once the host (dashboard included) has started: a short --steps run could otherwise call
            // StopApplication while Kestrel is still binding, and the start would fail as cancelled.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
                await started.Task;
            var (market, feed) = LoadMarket();
            var runId = $"live-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            logger.LogInformation("Live session {Run}: {Mode} on {Symbols}, {Speed} steps/s", runId, monitor.Mode,
                string.Join(", ", market.Select(m => m.Instrument.Symbol)), options.Speed);
            var firm = new FirmStrategy(grains, runId, feed) { Replayable = options.Cluster is not null };
            monitor.Run = (grains, runId);
            var paced = new PacedStrategy(firm, options.Speed, monitor, options.StopAfterSteps, lifetime);
            await new BacktestEngine(settings.Backtest.ToOptions()).RunAsync(market, paced, cancellationToken: stoppingToken);
            logger.LogInformation("Live session {Run} reached the end of its data after {Steps} steps", runId, monitor.Steps);
            if (options.StopAfterSteps > 0) lifetime.StopApplication();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The live session failed");
            lifetime.StopApplication();
        }
    }

    private (MarketSeries[] Market, SideDataFeed Feed) LoadMarket()
    {
        if (options.DataPath is null)
        {
            monitor.Mode = Dashboard.Model.FirmModes.LiveSimulator;
            var simulation = new MarketSimulator(new SimulatorOptions { Seed = options.Seed, Days = options.Days, Timeframe = options.Timeframe }).Run();
            return SimulatedFirmData.From(simulation);
        }
        monitor.Mode = Dashboard.Model.FirmModes.Replay;
        var symbols = options.Symbols.Count > 0 ? options.Symbols : [Instrument.Parse("BTC-USDT"), Instrument.Parse("ETH-USDT")];
        var loaded = BacktestData.Load(options.DataPath, symbols, options.Timeframe, null, null, settings.Market);
        foreach (var w in loaded.Warnings) logger.LogWarning("{File}: row {Row}, field '{Field}': {Message}", w.File, w.Row, w.Field, w.Message);
        return (loaded.Market.ToArray(), SideDataFeed.Empty);
    }

    /// <summary>Runs the firm one step at a time at the chosen speed and feeds the dashboard after each step.</summary>
    private sealed class PacedStrategy(FirmStrategy firm, double speed, FirmMonitor monitor, int stopAfter, IHostApplicationLifetime lifetime) : IStrategy
    {
        private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / Math.Max(0.01, speed));
        private DateTimeOffset _next = DateTimeOffset.UtcNow;

        public string Name => firm.Name;

        public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            var wait = _next - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            _next = DateTimeOffset.UtcNow + _interval;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await firm.OnBarAsync(context, cancellationToken);
            if (firm.LastDecision is { } decision) monitor.Record(decision, context, System.Diagnostics.Stopwatch.GetElapsedTime(started));
            if (stopAfter > 0 && monitor.Steps >= stopAfter) lifetime.StopApplication();
        }
    }
}
