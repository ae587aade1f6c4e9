namespace AgentFirm.Agents;

/// <summary>The name under which the firm's grain storage provider is registered.</summary>
public static class AgentFirmStorage
{
    public const string Name = "firm";
}
