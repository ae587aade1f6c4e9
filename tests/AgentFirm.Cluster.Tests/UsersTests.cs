using System.Diagnostics;
using AgentFirm.Agents.Persistence;
using Npgsql;

namespace AgentFirm.Cluster.Tests;

/// <summary>`agentfirm users add --cluster`: the dashboard's users in the cluster's PostgreSQL, as a hash only.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class UsersTests(SiloCluster cluster)
{
    [SkippableFact]
    public async Task Users_add_with_cluster_stores_a_pbkdf2_hash_in_postgres_and_refuses_the_same_name_twice()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        var name = $"dora-{Guid.NewGuid():N}"[..16];
        const string password = "a-passphrase-for-dora-42";
        var (exit, output) = await AddAsync(name, password);
        Assert.True(exit == 0, output);
        Assert.DoesNotContain(password, output);

        await using var database = new PostgresDatabase(cluster.Servers.Postgres);
        await using var connection = await database.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT role, password_hash FROM users WHERE name = $1", connection);
        command.Parameters.AddWithValue(name);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync(), "the user was not stored");
            Assert.Equal("operator", reader.GetString(0));
            var hash = reader.GetString(1);
            Assert.DoesNotContain(password, hash);
            // Identity's format version 3 (0x01) with PBKDF2-HMAC-SHA512 (prf 2): base64 of 01 00 00 00 02 ...
            Assert.StartsWith("AQAAAAI", hash);
        }

        var (again, message) = await AddAsync(name, password);
        Assert.Equal(2, again);
        Assert.Contains("already exists", message);
    }

    private async Task<(int Exit, string Output)> AddAsync(string name, string password)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = Repository.Root };
        foreach (var a in (string[])[Repository.HostDll, "users", "add", name, "--role", "operator", "--cluster", "--postgres", cluster.Settings.Postgres])
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(password); // the first line of stdin
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}
