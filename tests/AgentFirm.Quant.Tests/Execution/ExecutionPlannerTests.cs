using AgentFirm.Quant.Execution;

namespace AgentFirm.Quant.Tests.Execution;

public sealed class ExecutionPlannerTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly ExecutionPlanner Planner = new();

    private static OrderContext Order(double quantity, double horizonBars, double volatilityBps = 30, bool reducing = false, bool profile = true) =>
        new(quantity, BarVolume: 1_000, Hour, horizonBars * Hour, SpreadBps: 2, volatilityBps, reducing, profile);

    [Fact]
    public void A_reducing_order_goes_to_market_whatever_its_size()
    {
        var choice = Planner.Choose(Order(500, 100, reducing: true));
        Assert.Equal(AlgorithmKind.Market, choice.Algorithm);
        Assert.Contains("reduces", choice.Reason);
    }

    [Fact]
    public void A_large_patient_order_gets_a_vwap_long_enough_for_the_target_participation()
    {
        // 200 of a 1,000 bar at 5% per bar needs 4 bars; a 40-bar view allows up to 10.
        var choice = Planner.Choose(Order(200, 40));
        Assert.Equal(AlgorithmKind.Vwap, choice.Algorithm);
        Assert.Equal(4 * Hour, choice.Horizon);
        Assert.Contains("20% of a bar's volume", choice.Reason);
        // Without finer bars to learn a profile from, the same order is a TWAP.
        Assert.Equal(AlgorithmKind.Twap, Planner.Choose(Order(200, 40, profile: false)).Algorithm);
    }

    [Fact]
    public void The_views_horizon_caps_the_schedule()
    {
        // Needs 20 bars, but a quarter of an 8-bar view is 2.
        var choice = Planner.Choose(Order(1_000, 8));
        Assert.Equal(2 * Hour, choice.Horizon);
        Assert.Contains("capped at 2", choice.Reason);
    }

    [Fact]
    public void A_small_order_rests_when_the_spread_is_worth_saving_and_crosses_when_volatility_dwarfs_it()
    {
        Assert.Equal(AlgorithmKind.LimitPeg, Planner.Choose(Order(5, 40, volatilityBps: 10)).Algorithm);  // 1 bp half spread >= 0.05 x 10 bp
        Assert.Equal(AlgorithmKind.Vwap, Planner.Choose(Order(5, 40, volatilityBps: 100)).Algorithm);     // 1 bp < 0.05 x 100 bp
        Assert.Equal(AlgorithmKind.Market, Planner.Choose(Order(5, 2, volatilityBps: 10)).Algorithm);     // urgent
    }

    [Fact]
    public void Without_volume_history_the_planner_says_so_and_crosses()
    {
        var choice = Planner.Choose(Order(5, 40) with { BarVolume = 0 });
        Assert.Equal(AlgorithmKind.Market, choice.Algorithm);
        Assert.Contains("no volume history", choice.Reason);
    }
}
