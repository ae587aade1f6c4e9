using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Bench;

/// <summary>
/// `cluster-live`: many isolated firms trading live on the simulator at once on a running cluster (scripts/cluster.sh
/// up; its cluster.env sourced), each on its own seeded hourly market at the live session's pace. Reports the
/// decision latency (one firm step: the driver's call to its meta-controller and everything behind it) over all
/// firms, and checks every firm's ledger in PostgreSQL: sequences 1..n without a gap or a repeat, and its fills
/// exactly the venue's fills in order. Environment: BENCH_FIRMS (20), BENCH_SECONDS (300), BENCH_SPEED (5 steps/s a firm).
/// </summary>
internal static class ClusterLiveBenchmark
{
    public static JsonObject Run() => RunAsync().GetAwaiter().GetResult();

    private static int Setting(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) && v > 0 ? v : fallback;

    private static async Task<JsonObject> RunAsync()
    {
        var firms = Setting("BENCH_FIRMS", 20);
        var seconds = Setting("BENCH_SECONDS", 300);
        var speed = Setting("BENCH_SPEED", 5);
        var cluster = new ClusterSettings
        {
            Redis = Environment.GetEnvironmentVariable("AgentFirm__Cluster__Redis") ?? "127.0.0.1:6380",
            Postgres = Environment.GetEnvironmentVariable("AgentFirm__Cluster__Postgres") ?? "Host=127.0.0.1;Port=5433;Username=postgres;Database=agentfirm",
            ServiceId = Environment.GetEnvironmentVariable("AgentFirm__Cluster__ServiceId") ?? "agentfirm",
            ClusterId = Environment.GetEnvironmentVariable("AgentFirm__Cluster__ClusterId") ?? throw new InvalidOperationException("source the cluster.env that scripts/cluster.sh up wrote"),
        };
        await using var connection = await ClusterConnection.ConnectAsync(cluster, CancellationToken.None);
        var steps = seconds * speed;
        var prefix = $"load-{DateTime.UtcNow:HHmmss}";
        var sw = Stopwatch.StartNew();
        var runs = await Task.WhenAll(Enumerable.Range(0, firms).Select(i => RunFirmAsync(connection.Client, $"{prefix}-{i}", 500 + i, steps, speed)));
        var wall = sw.Elapsed.TotalSeconds;

        var latencies = runs.SelectMany(r => r.Latencies).Order().ToArray();
        var problems = runs.Select(r => r.Problem).OfType<string>().ToArray();
        return new JsonObject
        {
            ["bench"] = "cluster-live",
            ["firms"] = firms,
            ["steps_per_firm"] = steps,
            ["pace_steps_per_s_per_firm"] = speed,
            ["wall_s"] = Math.Round(wall, 1),
            ["decisions"] = latencies.Length,
            ["decision_ms_p50"] = Math.Round(Quantile(latencies, 0.50), 2),
            ["decision_ms_p99"] = Math.Round(Quantile(latencies, 0.99), 2),
            ["decision_ms_max"] = Math.Round(latencies[^1], 2),
            ["ledger_events"] = runs.Sum(r => r.LedgerEvents),
            ["fills"] = runs.Sum(r => r.Fills),
            ["ledgers_exact"] = problems.Length == 0,
            ["problems"] = new JsonArray(problems.Select(p => (JsonNode)p).ToArray()),
        };
    }

    private sealed record FirmLoad(double[] Latencies, long LedgerEvents, int Fills, string? Problem);

    private static async Task<FirmLoad> RunFirmAsync(IClusterClient client, string runId, long seed, int steps, int speed)
    {
        var (market, feed) = SimulatedFirmData.From(new MarketSimulator(new SimulatorOptions
        {
            Seed = seed, Days = steps / 24 + 1, Timeframe = Timeframe.Hour, Assets = [AssetProfile.For("BTC-USDT"), AssetProfile.For("ETH-USDT")],
        }).Run());
        market = market.Select(m => m with { Bars = m.Bars.Take(steps).ToArray() }).ToArray();
        var firm = new FirmStrategy(client, runId, feed) { Replayable = true };
        var paced = new Paced(firm, speed);
        var result = await new BacktestEngine(new BacktestOptions()).RunAsync(market, paced);
        var ledger = await client.GetGrain<IPortfolioGrain>(runId).EntriesAsync(0, int.MaxValue);
        return new FirmLoad(paced.Latencies.ToArray(), ledger.Length, result.Fills.Count, Check(runId, ledger, result));
    }

    /// <summary>Null when the ledger is exactly what the venue did; otherwise what is wrong.</summary>
    private static string? Check(string runId, LedgerEntry[] ledger, BacktestResult result)
    {
        for (var i = 0; i < ledger.Length; i++)
            if (ledger[i].Sequence != i + 1) return $"{runId}: entry {i} has sequence {ledger[i].Sequence}";
        var booked = ledger.Where(e => e.Kind == LedgerEntryKind.Fill).Select(e => (e.OrderId, e.Symbol, e.Side, e.Quantity, e.Price)).ToArray();
        var venue = result.Fills.Select(f => (f.OrderId, f.Symbol, f.Side, f.Quantity, f.Price)).ToArray();
        // Fills after the last decision are booked at the next one, which never comes: the ledger holds a prefix.
        if (booked.Length > venue.Length || !venue.Take(booked.Length).SequenceEqual(booked))
            return $"{runId}: {booked.Length} booked fills are not the venue's first {booked.Length} of {venue.Length}";
        return null;
    }

    private static double Quantile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(q * sorted.Length))];

    /// <summary>The live session's pacing: one step per 1/speed seconds, the step's own latency timed.</summary>
    private sealed class Paced(FirmStrategy firm, int speed) : IStrategy
    {
        private readonly TimeSpan _interval = TimeSpan.FromSeconds(1.0 / speed);
        private DateTimeOffset _next = DateTimeOffset.UtcNow;
        public List<double> Latencies { get; } = new();
        public string Name => firm.Name;

        public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            var wait = _next - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, cancellationToken);
            _next = DateTimeOffset.UtcNow + _interval;
            var sw = Stopwatch.StartNew();
            await firm.OnBarAsync(context, cancellationToken);
            Latencies.Add(sw.Elapsed.TotalMilliseconds);
        }
    }
}
