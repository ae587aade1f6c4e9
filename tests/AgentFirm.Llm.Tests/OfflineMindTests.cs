namespace AgentFirm.Llm.Tests;

public sealed class OfflineMindTests
{
    [Fact]
    public async Task Returns_the_quant_decision_with_a_rationale_from_the_strongest_evidence()
    {
        var request = Samples.Request();

        var decision = await new OfflineMind().SynthesiseAsync(request, CancellationToken.None);

        Assert.Equal(MindSource.Mind, decision.Source);
        Assert.Equal(request.QuantTargets, decision.Targets);
        Assert.Equal(request.DecisionTime, decision.DecisionTime);
        Assert.Contains("BTCUSDT: long +0.20 (confidence 0.50), led by technical (+0.60 @ 0.80) on rsi_14=28.1 (oversold), sma_50=64000.",
            decision.Rationale, StringComparison.Ordinal);
        Assert.Contains("ETHUSDT: short -0.10 (confidence 0.40), led by onchain", decision.Rationale, StringComparison.Ordinal);
    }
}

public sealed class MindStatsTests
{
    [Fact]
    public async Task Counts_are_exact_under_concurrent_calls()
    {
        var stats = new MindStats();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                stats.RecordCall();
                if (i % 2 == 0) stats.RecordSuccess();
                else stats.RecordFallback(FallbackReason.Timeout);
            }
        })));

        Assert.Equal((8_000, 4_000, 4_000, 4_000), (stats.Calls, stats.Successes, stats.Fallbacks, stats.FallbacksFor(FallbackReason.Timeout)));
    }
}
