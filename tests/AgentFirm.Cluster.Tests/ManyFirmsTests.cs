using AgentFirm.Agents.Contracts;

namespace AgentFirm.Cluster.Tests;

/// <summary>Firms are keyed grains: several run at once on the same silos and never see each other's state.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class ManyFirmsTests(SiloCluster cluster)
{
    [SkippableFact]
    public async Task A_kill_switch_in_one_firm_leaves_a_firm_running_beside_it_untouched()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        var reference = await cluster.ReferenceAsync();
        var halted = $"halted-{Guid.NewGuid():N}";
        var beside = $"beside-{Guid.NewGuid():N}";

        var haltedRun = cluster.RunFirmAsync(halted, (60, async runId =>
            await cluster.Client.GetGrain<IRiskGrain>(runId).EngageKillSwitchAsync("test: operator stops this firm")));
        var besideRun = cluster.RunFirmAsync(beside, null);
        var (stopped, untouched) = (await haltedRun, await besideRun);

        var stoppedRisk = await cluster.Client.GetGrain<IRiskGrain>(halted).StatusAsync();
        var untouchedRisk = await cluster.Client.GetGrain<IRiskGrain>(beside).StatusAsync();
        Assert.True(stoppedRisk.KillSwitch);
        Assert.False(untouchedRisk.KillSwitch);
        Assert.False(untouchedRisk.Halted);
        // The stopped firm was flattened and holds nothing at the end; the one beside it is the reference run, event for event.
        var book = await cluster.Client.GetGrain<IPortfolioGrain>(halted).SummaryAsync([]);
        Assert.All(book.Positions, p => Assert.True(Math.Abs(p.Value) < 1e-9, $"{p.Key} still holds {p.Value}"));
        Assert.NotEqual(reference.Ledger, stopped.Ledger);
        Assert.Equal(reference.Ledger, untouched.Ledger);
    }
}
