using System.Diagnostics;
using System.Text;
using AgentFirm.Agents.Hosting;

namespace AgentFirm.Cluster.Tests;

/// <summary>One `agentfirm silo --profile cluster` process, started and killed like an operator (or a crash) would.</summary>
public sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private SiloProcess(Process process, int siloPort)
    {
        _process = process;
        SiloPort = siloPort;
    }

    public int SiloPort { get; }
    public bool Running => !_process.HasExited;

    public static async Task<SiloProcess> StartAsync(ClusterSettings cluster, int siloPort, int gatewayPort, params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        foreach (var a in (string[])[Repository.HostDll, "silo", "--profile", "cluster", "--redis", cluster.Redis, "--postgres", cluster.Postgres,
                     "--service-id", cluster.ServiceId, "--cluster-id", cluster.ClusterId, "--silo-port", siloPort.ToString(), "--gateway-port", gatewayPort.ToString(), .. extra])
            start.ArgumentList.Add(a);
        // The silos answer a call to a dead peer within the tests' response timeout, as the client does.
        start.Environment["AgentFirm__Cluster__ResponseTimeout"] = cluster.ResponseTimeout.ToString();
        var process = Process.Start(start)!;
        var silo = new SiloProcess(process, siloPort);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (silo._log) silo._log.AppendLine(e.Data);
            if (e.Data.StartsWith("silo ready:", StringComparison.Ordinal)) ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (silo._log) silo._log.AppendLine(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"silo {siloPort} exited ({process.ExitCode}): {silo.Log}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        return silo;
    }

    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>SIGKILL: no shutdown, no goodbye to the cluster; its grains die with it.</summary>
    public void Kill()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
