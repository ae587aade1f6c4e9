using AgentFirm.Agents.Contracts;

namespace AgentFirm.Cluster.Tests;

/// <summary>
/// Three silo processes on Redis and PostgreSQL run a firm backtest; silos die with SIGKILL mid-run. The firm's
/// ledger must come out exactly as in the same run with nothing killed: no event lost, none stored twice.
/// </summary>
[Collection(SiloClusterCollection.Name)]
public sealed class FailoverTests(SiloCluster cluster)
{
    [SkippableFact]
    public async Task Killing_the_silo_that_hosts_the_firm_mid_backtest_leaves_the_ledger_event_for_event_as_without_the_kill()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        var reference = await cluster.ReferenceAsync();
        int[] hostsBeforeKill = [];
        var killed = -1;

        var run = await cluster.RunFirmAsync($"kill-{Guid.NewGuid():N}", (100, async runId =>
        {
            hostsBeforeKill = await cluster.HostsOfRunAsync(runId);
            killed = await cluster.HostOfAsync((IAddressable)cluster.Client.GetGrain<IMetaControllerGrain>(runId));
            cluster.Silo(killed).Kill();
        }));
        await cluster.StartSiloAsync(killed); // three silos again for the next test

        // The firm's grains all lived on one silo, and that silo died: the driver had to rebuild the firm elsewhere.
        Assert.Equal([killed], hostsBeforeKill);
        Assert.True(run.Replay.Replays >= 1, "the firm was never replayed");
        AssertSameRun(reference, run);
    }

    [SkippableFact]
    public async Task Restarting_every_silo_mid_run_resumes_the_firm_from_its_ledger_and_history()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        var reference = await cluster.ReferenceAsync();
        long ledgerBeforeRestart = 0;

        var run = await cluster.RunFirmAsync($"restart-{Guid.NewGuid():N}", (140, async runId =>
        {
            ledgerBeforeRestart = await cluster.Client.GetGrain<IPortfolioGrain>(runId).LastSequenceAsync();
            for (var i = 0; i < SiloCluster.Silos; i++) cluster.Silo(i).Kill();
            await Task.WhenAll(Enumerable.Range(0, SiloCluster.Silos).Select(cluster.StartSiloAsync));
        }));

        Assert.True(ledgerBeforeRestart > 1, "nothing was booked before the restart");
        Assert.True(run.Replay.Replays >= 1, "the firm was never replayed");
        AssertSameRun(reference, run);
    }

    private static void AssertSameRun(FirmRunResult reference, FirmRunResult run)
    {
        Assert.True(reference.Ledger.Length > 50, $"the reference run booked only {reference.Ledger.Length} events");
        Assert.Equal(Enumerable.Range(1, run.Ledger.Length).Select(i => (long)i), run.Ledger.Select(e => e.Sequence));
        Assert.Equal(reference.Ledger.Length, run.Ledger.Length);
        for (var i = 0; i < reference.Ledger.Length; i++) Assert.Equal(reference.Ledger[i], run.Ledger[i]);
        Assert.Equal(reference.Result.Curve.Equity, run.Result.Curve.Equity);
    }
}
