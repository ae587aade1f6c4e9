using System.Diagnostics;
using System.Text.Json.Nodes;
using AgentFirm.Agents;
using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Hosting;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Bench;

/// <summary>
/// `firm`: decision steps per second of the whole firm in backtest mode (every role a grain in one
/// in-process silo, offline mind, SQLite ledger), on two assets of hourly shared data, with the bare
/// engine's rate on the same bars measured in the same run as the baseline; peak working set of the process.
/// </summary>
internal static class FirmBenchmark
{
    private sealed class Idle : IStrategy
    {
        public string Name => "idle";
        public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    public static JsonObject Run() => RunAsync().GetAwaiter().GetResult();

    private static async Task<JsonObject> RunAsync()
    {
        var (market, source) = BenchData.HourlyBtcEth();
        var folder = Path.Combine(Path.GetTempPath(), $"agentfirm-bench-{Guid.NewGuid():N}");
        try
        {
            await using var silo = await EmbeddedSilo.StartAsync(new FirmSiloSettings { DatabasePath = Path.Combine(folder, "firm.db") }, CancellationToken.None);
            var engine = new BacktestEngine(new BacktestOptions());

            // Warm-up: one whole run of another firm, so tiered compilation has finished before the clock starts.
            // A short one is not enough: code the firm reaches rarely (an HMM refit every 1,000 bars, a causal
            // screen every 24) was still running unoptimised, or being recompiled on the other core, during the
            // measured run, which then spent about half its CPU time on that.
            await engine.RunAsync(market, new FirmStrategy(silo.Grains, "warm-up"));

            // The process's CPU time beside the wall clock: on a shared machine other work stretches the wall
            // time of a run but not the CPU time the firm itself spends.
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var collectionsBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var sw = Stopwatch.StartNew();
            var result = await engine.RunAsync(market, new FirmStrategy(silo.Grains, "bench"));
            var seconds = sw.Elapsed.TotalSeconds;
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var collections = (GC.CollectionCount(0) - collectionsBefore.Item1, GC.CollectionCount(1) - collectionsBefore.Item2, GC.CollectionCount(2) - collectionsBefore.Item3);
            var steps = result.Curve.Count;

            var ledger = await silo.Grains.GetGrain<Agents.Contracts.IPortfolioGrain>("bench").SummaryAsync([]);
            var risk = await silo.Grains.GetGrain<Agents.Contracts.IRiskGrain>("bench").StatusAsync();
            var bare = Measure.Best(() => engine.RunAsync(market, new Idle()).GetAwaiter().GetResult(), TimeSpan.FromSeconds(2));
            var firmRate = steps / seconds;
            var bareRate = steps / bare.BestSeconds;
            return new JsonObject
            {
                ["bench"] = "firm",
                ["data"] = source,
                ["decision_steps"] = steps,
                ["seconds"] = Math.Round(seconds, 3),
                ["decision_steps_per_s"] = Math.Round(firmRate),
                ["cpu_seconds"] = Math.Round(cpuSeconds, 3),
                ["decision_steps_per_cpu_s"] = Math.Round(steps / cpuSeconds),
                // Whole process during the run: the engine, the driver's messages and every grain of the firm.
                ["allocated_bytes_per_step"] = Math.Round(allocated / (double)steps),
                ["gc_collections"] = $"gen0 {collections.Item1}, gen1 {collections.Item2}, gen2 {collections.Item3}",
                ["bare_engine_steps_per_s"] = Math.Round(bareRate),
                ["firm_vs_bare_engine"] = Math.Round(firmRate / bareRate, 5),
                ["fills"] = result.Fills.Count,
                ["ledger_entries"] = ledger.LastSequence,
                ["vetoes"] = ledger.Vetoes,
                ["halted_at_end"] = risk.Halted,
                ["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
                ["goal_decision_steps_per_s"] = 20_000,
                ["goal_peak_working_set_mb"] = 1024,
            };
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
