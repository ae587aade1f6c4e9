using System.Diagnostics;
using System.Text;
using AgentFirm.Agents.Persistence;

namespace AgentFirm.Cluster.Tests;

/// <summary>
/// `agentfirm backtest --grid ... --cluster` against the three silo processes: the runs spread over the silos, one
/// silo is killed with SIGKILL mid-sweep, and every run still finishes once, in the --out folder and in PostgreSQL,
/// with the result of the same single backtest run without a cluster.
/// </summary>
[Collection(SiloClusterCollection.Name)]
public sealed class SweepTests(SiloCluster cluster)
{
    private const string Grid = "AgentFirm:Tactical:TargetVolatility=0.1,0.2,0.3";

    [SkippableFact]
    public async Task A_sweep_spreads_over_the_silos_survives_a_killed_silo_and_stores_each_run_once_in_postgres()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        var folder = Path.Combine(Path.GetTempPath(), $"agentfirm-sweep-{Guid.NewGuid():N}");
        try
        {
            var data = Path.Combine(folder, "sim");
            Assert.Equal(0, (await Agentfirm(["simulate", "--seed", "5", "--days", "150", "--timeframe", "1d", "--symbols", "BTC-USDT,ETH-USDT", "--out", data])).Exit);
            string[] backtest = ["backtest", "--data", Path.Combine(data, "ohlcv"), "--symbols", "BTC-USDT,ETH-USDT", "--timeframe", "1d", "--strategy", "firm"];
            var settings = cluster.Settings;
            var killed = -1;
            var sweep = await Agentfirm([.. backtest, "--grid", Grid, "--grid", "fee-bps=5,15", "--per-silo", "1", "--cluster", "--redis", settings.Redis,
                "--postgres", settings.Postgres, "--cluster-id", settings.ClusterId, "--service-id", settings.ServiceId, "--out", Path.Combine(folder, "sweep")],
                onStderr: line =>
                {
                    // one run per silo is under way: kill the second silo in the middle of its run
                    if (killed < 0 && line.Contains("up to 1 per silo on 3 silo(s)", StringComparison.Ordinal))
                    {
                        killed = 1;
                        Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => cluster.Silo(1).Kill());
                    }
                });
            await Task.Delay(TimeSpan.FromSeconds(4));
            if (killed >= 0) await cluster.StartSiloAsync(killed); // three silos again for the next test
            Assert.True(sweep.Exit == 0, sweep.Stderr);

            var csv = File.ReadAllLines(Path.Combine(folder, "sweep", "sweep.csv")).Skip(1).Select(l => l.Split(',')).ToList();
            Assert.Equal(6, csv.Count);
            Assert.All(csv, row => Assert.Equal("completed", row[3]));
            Assert.True(csv.Sum(row => int.Parse(row[^3])) >= 1, $"no run was started again after the kill: {sweep.Stderr}");
            Assert.True(csv.Select(row => row[^5]).Distinct().Count() >= 2, "the runs did not spread over the silos");

            await using var database = new PostgresDatabase(settings.Postgres);
            var stored = (await new PostgresSweepStore(database).RunsAsync(SweepId(sweep.Stdout))).ToList();
            Assert.Equal(6, stored.Count);
            Assert.All(stored, run => Assert.Equal("completed", run.Status));
            Assert.All(stored, run => Assert.Contains("\"sharpe\"", run.ReportJson));

            // every run, restarted or not, is the single backtest with its setting and flag, run without a cluster
            var restarted = csv.First(row => int.Parse(row[^3]) > 0);
            var single = Path.Combine(folder, "single");
            var alone = await Agentfirm([.. backtest, "--fee-bps", restarted[2], "--out", single],
                environment: ("AgentFirm__Tactical__TargetVolatility", restarted[1]));
            Assert.True(alone.Exit == 0, alone.Stderr);
            foreach (var file in new[] { "equity.csv", "fills.csv", "decisions.csv" })
                Assert.Equal(File.ReadAllText(Path.Combine(single, file)), File.ReadAllText(Path.Combine(folder, "sweep", restarted[^2], file)));
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    private static string SweepId(string stdout) =>
        stdout.Split('\n').Select(l => l.Trim()).First(l => l.Contains("PostgreSQL sweep_runs, sweep ", StringComparison.Ordinal)).Split(' ')[^1];

    private static async Task<(int Exit, string Stdout, string Stderr)> Agentfirm(string[] args, Action<string>? onStderr = null, params (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Repository.HostDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["AgentFirm__Cluster__ResponseTimeout"] = "00:00:05";
        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            onStderr?.Invoke(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        process.WaitForExit(); // drains the redirected streams
        return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
