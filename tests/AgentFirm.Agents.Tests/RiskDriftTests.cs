using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Agents.Tests;

public sealed class RiskDriftTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    [Fact]
    public async Task A_drift_message_makes_the_risk_grain_veto_new_exposure_until_cleared()
    {
        var risk = firm.Grains.GetGrain<IRiskGrain>("drift");
        var time = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var portfolio = new PortfolioState(time, 100_000, 100_000, new Dictionary<string, double> { ["ETH-USDT"] = 5 },
            new Dictionary<string, double> { ["BTC-USDT"] = 50_000, ["ETH-USDT"] = 2_000 },
            new Dictionary<string, DateTimeOffset> { ["BTC-USDT"] = time, ["ETH-USDT"] = time }, TimeSpan.FromHours(1));
        var buy = new ProposedOrder("BTC-USDT", OrderSide.Buy, 0.1, 50_000, 1_000, "test");
        var sell = new ProposedOrder("ETH-USDT", OrderSide.Sell, 2, 2_000, 100, "test");
        Assert.Equal(VerdictKind.Approve, (await risk.ReviewAsync(portfolio, [buy])).Verdicts[0].Decision);

        await risk.ReportDriftAsync(new FeatureDrift("rv20", 0.3, 1e-8, time, 2_000, 300));
        var review = await risk.ReviewAsync(portfolio, [buy, sell]);
        Assert.Equal(VerdictKind.Veto, review.Verdicts[0].Decision);
        Assert.Contains("drift circuit breaker", review.Verdicts[0].Reason);
        Assert.Equal(VerdictKind.Approve, review.Verdicts[1].Decision); // reducing risk still passes

        await risk.ClearDriftAsync("rv20");
        Assert.Equal(VerdictKind.Approve, (await risk.ReviewAsync(portfolio with { Time = time.AddHours(1) }, [buy])).Verdicts[0].Decision);
    }
}
