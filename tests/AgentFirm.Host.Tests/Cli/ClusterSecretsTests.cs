namespace AgentFirm.Host.Tests.Cli;

/// <summary>The cluster's connection strings may carry passwords; a report's provenance must never hold them.</summary>
public sealed class ClusterSecretsTests
{
    [Theory]
    [InlineData("AgentFirm:Cluster:Postgres", "Host=db;Port=5432;Username=firm;Password=s3cret;Database=agentfirm", "Host=db;Port=5432;Username=firm;Password=***redacted***;Database=agentfirm")]
    [InlineData("AgentFirm:Cluster:Postgres", "Host=db;PWD = s3cret", "Host=db;PWD=***redacted***")]
    [InlineData("AgentFirm:Cluster:Redis", "redis-0:6379,password=s3cret,ssl=true", "redis-0:6379,password=***redacted***,ssl=true")]
    [InlineData("AgentFirm:Cluster:Redis", "127.0.0.1:6380", "127.0.0.1:6380")]
    public void A_password_inside_a_connection_string_is_redacted_and_the_rest_kept(string key, string value, string recorded)
    {
        var redacted = RunProvenance.Redact(key, value);
        Assert.Equal(recorded, redacted);
        Assert.DoesNotContain("s3cret", redacted);
    }
}
