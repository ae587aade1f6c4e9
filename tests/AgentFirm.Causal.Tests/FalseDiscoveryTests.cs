namespace AgentFirm.Causal.Tests;

public class FalseDiscoveryTests
{
    [Fact]
    public void Benjamini_hochberg_matches_a_hand_computed_example()
    {
        // sorted: 0.005 (1), 0.01 (2), 0.03 (3), 0.04 (4), 0.2 (5); p m / rank = 0.025, 0.025, 0.05, 0.05, 0.2;
        // running minimum from the top leaves them as they are; back in input order:
        var q = FalseDiscovery.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2]);
        Assert.Equal([0.025, 0.05, 0.05, 0.025, 0.2], q.Select(v => Math.Round(v, 12)).ToArray());
    }

    [Fact]
    public void A_larger_later_p_value_caps_earlier_ones_and_q_never_exceeds_one()
    {
        var q = FalseDiscovery.BenjaminiHochberg([0.04, 0.9, 0.025, 1.0]);
        // m = 4: sorted 0.025 (1) -> 0.1, 0.04 (2) -> 0.08, 0.9 (3) -> 1.2, 1.0 (4) -> 1.0; minima from the top: 0.08, 0.08, 1.0, 1.0
        Assert.Equal([0.08, 1.0, 0.08, 1.0], q.Select(v => Math.Round(v, 12)).ToArray());
    }
}
