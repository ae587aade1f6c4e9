namespace AgentFirm.Dashboard.Tests;

/// <summary>One Kestrel host for every test that needs a real server (starting one costs a second or two here).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardHost>
{
    public const string Name = "dashboard host";
}
