using System.Diagnostics;

namespace AgentFirm.Cluster.Tests;

/// <summary>`agentfirm silo` refuses bad settings before it starts anything: exit 2 and one line naming the flag or key.</summary>
public sealed class SiloCommandTests
{
    [Theory]
    [InlineData("--profile embedded", "--profile 'embedded'")]
    [InlineData("--silo-port 70000", "AgentFirm:Cluster:SiloPort 70000")]
    [InlineData("--silo-port 30000 --gateway-port 30000", "SiloPort and GatewayPort are both 30000")]
    [InlineData("--address not-an-ip", "AgentFirm:Cluster:AdvertisedAddress 'not-an-ip'")]
    [InlineData("--http http://0.0.0.0:8081", "--http 'http://0.0.0.0:8081' binds beyond loopback")]
    public async Task Bad_silo_settings_exit_2_naming_what_to_fix(string flags, string named)
    {
        var (exit, stderr) = await RunAsync(["silo", .. flags.Split(' ')]);
        Assert.Equal(2, exit);
        Assert.Contains(named, stderr);
    }

    [Fact]
    public async Task A_bad_cluster_setting_from_the_environment_is_exit_2_naming_its_key()
    {
        var (exit, stderr) = await RunAsync(["silo"], ("AgentFirm__Cluster__ResponseTimeout", "soon"));
        Assert.Equal(2, exit);
        Assert.Contains("AgentFirm:Cluster:ResponseTimeout", stderr);
    }

    [Fact]
    public void What_a_silo_prints_about_its_cluster_holds_no_password()
    {
        var settings = new AgentFirm.Agents.Hosting.ClusterSettings
        {
            Redis = "redis-0:6379,password=s3cret", Postgres = "Host=db;Port=5432;Username=firm;Password=s3cret;Database=agentfirm",
        };
        var printed = settings.Describe();
        Assert.DoesNotContain("s3cret", printed);
        Assert.Contains("PostgreSQL db:5432/agentfirm as firm", printed);
        Assert.Contains("Redis redis-0:6379", printed);
    }

    private static async Task<(int Exit, string Stderr)> RunAsync(string[] args, params (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Repository.HostDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stderr);
    }
}
