using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentFirm.Bench;

/// <summary>
/// `sweep`: a 100-run grid (10 target volatilities x 10 fee levels) of short firm backtests through the real command,
/// `agentfirm backtest --grid ...`: on one local silo, or with --cluster on the running cluster when its cluster.env is
/// sourced (scripts/cluster-sweep.sh starts one with N silos and adds each silo's CPU time). Reports backtests per
/// minute, how the runs spread over the silos and the mean run time. Needs the host built (src/AgentFirm.Host).
/// Environment: BENCH_PER_SILO (2 runs in flight per silo), BENCH_DAYS (traded days per run, 60), BENCH_HOST_CONFIG (Debug).
/// </summary>
internal static class SweepBenchmark
{
    private static readonly string[] Volatilities = Enumerable.Range(0, 10).Select(i => (0.10 + 0.02 * i).ToString("0.00", CultureInfo.InvariantCulture)).ToArray();
    private static readonly string[] Fees = Enumerable.Range(0, 10).Select(i => (2 * i).ToString(CultureInfo.InvariantCulture)).ToArray();

    public static JsonObject Run()
    {
        var root = Directory.GetCurrentDirectory();
        var host = Path.Combine(root, "src", "AgentFirm.Host", "bin", Environment.GetEnvironmentVariable("BENCH_HOST_CONFIG") ?? "Debug", "net10.0", "agentfirm.dll");
        if (!File.Exists(host)) throw new FileNotFoundException($"build the host first (dotnet build src/AgentFirm.Host): {host} not found; run from the repository root");
        var perSilo = int.TryParse(Environment.GetEnvironmentVariable("BENCH_PER_SILO"), out var p) && p > 0 ? p : 2;
        var days = int.TryParse(Environment.GetEnvironmentVariable("BENCH_DAYS"), out var d) && d > 0 ? d : 60;
        var onCluster = Environment.GetEnvironmentVariable("AgentFirm__Cluster__ClusterId") is not null;

        var work = Path.Combine(root, "out", "bench-sweep");
        var data = Path.Combine(work, "sim");
        if (!Directory.Exists(data)) Agentfirm(host, ["simulate", "--seed", "21", "--days", (days + 60).ToString(), "--timeframe", "1d", "--symbols", "BTC-USDT,ETH-USDT", "--out", data]);
        var from = new DateTime(2020, 1, 1).AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var outDir = Path.Combine(work, $"run-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
        string[] sweep = ["backtest", "--data", Path.Combine(data, "ohlcv"), "--symbols", "BTC-USDT,ETH-USDT", "--timeframe", "1d", "--strategy", "firm",
            "--from", from, "--warmup", "30", "--grid", $"AgentFirm:Tactical:TargetVolatility={string.Join(',', Volatilities)}", "--grid", $"fee-bps={string.Join(',', Fees)}",
            "--per-silo", perSilo.ToString(), "--out", outDir, .. onCluster ? (string[])["--cluster"] : []];
        var (wall, cpu) = Agentfirm(host, sweep);

        var rows = File.ReadAllLines(Path.Combine(outDir, "sweep.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var completed = rows.Count(r => r[3] == "completed");
        var bySilo = rows.GroupBy(r => r[^5]).OrderBy(g => g.Key).ToList();
        var runSeconds = rows.Select(r => double.Parse(r[^4], CultureInfo.InvariantCulture)).ToArray();
        return new JsonObject
        {
            ["bench"] = "sweep",
            ["mode"] = onCluster ? "cluster" : "local silo",
            ["runs"] = rows.Count,
            ["completed"] = completed,
            ["traded_days_per_run"] = days,
            ["per_silo"] = perSilo,
            ["silos_used"] = bySilo.Count,
            ["runs_per_silo"] = new JsonObject(bySilo.Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count()))),
            ["wall_s"] = Math.Round(wall, 1),
            ["backtests_per_min"] = Math.Round(completed / wall * 60, 1),
            ["mean_run_s"] = Math.Round(runSeconds.Average(), 2),
            ["driver_cpu_s"] = Math.Round(cpu, 1),
            ["cores"] = Environment.ProcessorCount,
        };
    }

    /// <summary>Runs the host to the end; its wall time and the CPU it spent, sampled every 0.2 s (the driver, and with no cluster the local silo too).</summary>
    private static (double Wall, double Cpu) Agentfirm(string host, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(host);
        foreach (var a in args) start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // CPU time is readable only while the process lives (Linux): sample it until it exits
        var cpu = 0.0;
        while (!process.WaitForExit(200))
        {
            try { cpu = process.TotalProcessorTime.TotalSeconds; }
            catch (InvalidOperationException) { break; }
        }
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"agentfirm {args[0]} failed ({process.ExitCode}): {stderr.Result}{stdout.Result}");
        return (wall, cpu);
    }
}
