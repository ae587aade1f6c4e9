using System.Diagnostics;
using AgentFirm.Agents.Hosting;

namespace AgentFirm.Cluster.Tests;

/// <summary>
/// Redis and PostgreSQL for one test run, started by the repository's own scripts/cluster.sh in a temp folder on
/// free loopback ports and stopped again. When Debian's redis-server or postgresql is not installed the servers are
/// <see cref="Unavailable"/> and every test that needs them reports itself skipped with that reason.
/// </summary>
public sealed class LocalServers : IAsyncDisposable
{
    private LocalServers(string folder, int redisPort, int postgresPort)
    {
        Folder = folder;
        RedisPort = redisPort;
        PostgresPort = postgresPort;
    }

    public string Folder { get; }
    public int RedisPort { get; }
    public int PostgresPort { get; }
    public string Redis => $"127.0.0.1:{RedisPort}";
    public string Postgres => $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Database=agentfirm;Pooling=true";

    /// <summary>Why the servers cannot run here (the packages are missing), or null.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists("/usr/bin/redis-server")) return "redis-server is not installed (.ci/run installs Debian's redis-server; apt-get install redis-server)";
        if (!Directory.Exists("/usr/lib/postgresql") || !Directory.EnumerateFiles("/usr/lib/postgresql", "initdb", SearchOption.AllDirectories).Any())
            return "PostgreSQL is not installed (.ci/run installs Debian's postgresql; apt-get install postgresql)";
        return null;
    }

    public static async Task<LocalServers> StartAsync()
    {
        // Not a 0700 temp folder: the postgres user runs initdb in it when the tests run as root.
        var folder = Path.Combine(Path.GetTempPath(), $"agentfirm-cluster-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var servers = new LocalServers(folder, LoopbackPort.Free(), LoopbackPort.Free());
        await Script("up", "--silos", "0", "--dir", folder, "--redis-port", servers.RedisPort.ToString(), "--pg-port", servers.PostgresPort.ToString());
        return servers;
    }

    public ClusterSettings Settings(string clusterId) => new()
    {
        Redis = Redis, Postgres = Postgres, ServiceId = $"test-{Path.GetFileName(Folder)}", ClusterId = clusterId,
        ResponseTimeout = TimeSpan.FromSeconds(5),
    };

    public async ValueTask DisposeAsync()
    {
        await Script("down", "--dir", Folder);
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task Script(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "cluster.sh"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/cluster.sh {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
    }
}

/// <summary>Where the checkout and the built agentfirm.dll are.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The host built in the same configuration as these tests (the project reference builds it first).</summary>
    public static string HostDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
            var dll = Path.Combine(Root, "src", "AgentFirm.Host", "bin", configuration, "net10.0", "agentfirm.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"The host is not built at {dll}.");
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AgentFirm.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("AgentFirm.sln not found above the test folder.");
    }
}
