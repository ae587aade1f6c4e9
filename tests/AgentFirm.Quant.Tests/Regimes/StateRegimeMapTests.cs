using AgentFirm.Core;
using AgentFirm.Quant.Regimes;

namespace AgentFirm.Quant.Tests.Regimes;

public sealed class StateRegimeMapTests
{
    // Dimension 0 = mean standardised return, 1 = log market volatility relative to usual.
    private static GaussianMixture Mixture(params (double Weight, double Return, double LogVol)[] states) => new(
        states.Select(s => s.Weight).ToArray(),
        To2D(states.Select(s => new[] { s.Return, s.LogVol }).ToArray()),
        To2D(states.Select(_ => new[] { 1.0, 0.1 }).ToArray()));

    private static double[,] To2D(double[][] rows)
    {
        var m = new double[rows.Length, 2];
        for (var i = 0; i < rows.Length; i++) (m[i, 0], m[i, 1]) = (rows[i][0], rows[i][1]);
        return m;
    }

    [Fact]
    public void Crisis_needs_both_extreme_volatility_and_losses()
    {
        var map = StateRegimeMap.For(
            Mixture((0.4, 0.05, -0.3), (0.3, 0.0, 0.0), (0.25, -0.1, 0.3), (0.04, -2.0, 1.1), (0.01, +1.5, 1.2)),
            new StateRegimeMapOptions());
        // Typical log vol = 0.4(-0.3) + 0.3(0) + 0.25(0.3) + 0.04(1.1) + 0.01(1.2) = 0.011; ln 2 = 0.693 above it is 0.704.
        Assert.Equal(Regime.Crisis, map[3]);
        Assert.Equal(Regime.Turbulent, map[4]); // as loud, but rallying: not a crisis
        Assert.Equal([Regime.Calm, Regime.Normal, Regime.Normal, Regime.Crisis, Regime.Turbulent], map.Regimes);
    }

    [Fact]
    public void A_losing_state_that_is_only_somewhat_louder_than_usual_is_turbulent_not_crisis()
    {
        var map = StateRegimeMap.For(Mixture((0.5, 0.05, -0.2), (0.3, 0.0, 0.1), (0.2, -1.2, 0.5)), new StateRegimeMapOptions());
        Assert.Equal([Regime.Calm, Regime.Normal, Regime.Turbulent], map.Regimes);
    }

    [Fact]
    public void Two_states_are_normal_and_turbulent_one_is_normal_and_probabilities_add_up_by_regime()
    {
        Assert.Equal([Regime.Turbulent, Regime.Normal], StateRegimeMap.For(Mixture((0.5, 0, 0.4), (0.5, 0, -0.4)), new StateRegimeMapOptions()).Regimes);
        Assert.Equal([Regime.Normal], StateRegimeMap.For(Mixture((1.0, 0, 0)), new StateRegimeMapOptions()).Regimes);

        var four = StateRegimeMap.For(Mixture((0.3, 0, -0.5), (0.3, 0, -0.1), (0.3, 0, 0.1), (0.1, 0, 0.5)), new StateRegimeMapOptions());
        var p = four.Aggregate([0.1, 0.2, 0.3, 0.4]);
        Assert.Equal(new RegimeDistribution(0.1, 0.5, 0.4, 0), p);
        Assert.Equal(Regime.Normal, p.MostLikely);
        Assert.Equal(Regime.Turbulent, new RegimeDistribution(0, 0.5, 0.5, 0).MostLikely); // ties go to the cautious side
    }

    [Fact]
    public void The_risk_budget_expected_under_the_probabilities_weights_the_configured_table()
    {
        var budget = new RiskBudget { Calm = 1, Normal = 0.8, Turbulent = 0.5, Crisis = 0.1 };
        Assert.Equal(0.2 * 1 + 0.5 * 0.8 + 0.2 * 0.5 + 0.1 * 0.1, budget.Expected(new RegimeDistribution(0.2, 0.5, 0.2, 0.1)), 12);
        Assert.Equal(0.1, budget.Expected(RegimeDistribution.Certain(Regime.Crisis)), 12);
    }
}
