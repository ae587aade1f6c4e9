namespace AgentFirm.Dashboard.Model;

/// <summary>
/// What a person may do to the risk agent from the dashboard: stop all new risk at once, or lift a halt
/// after looking at why it happened. Limits themselves cannot be changed from here (or anywhere at run time).
/// Optional: a host that does not register it gets a read-only risk panel.
/// </summary>
public interface IRiskControls
{
    /// <summary>Stops all new risk; the person's name (or who the dashboard says pressed it) goes into the audit.</summary>
    Task EngageKillSwitchAsync(string operatorName, string reason);

    /// <summary>Lifts a drawdown halt or the kill switch; the name of the person is recorded.</summary>
    Task ResetAsync(string operatorName);
}
