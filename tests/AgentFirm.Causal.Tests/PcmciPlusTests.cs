namespace AgentFirm.Causal.Tests;

/// <summary>PCMCI+ (Runge 2020) on processes whose contemporaneous orientation is identifiable.</summary>
public class PcmciPlusTests
{
    private static PcmciOptions Plus(int tauMax, double? pcAlpha = 0.01) =>
        new() { Method = PcmciMethod.PcmciPlus, TauMin = 0, TauMax = tauMax, PcAlpha = pcAlpha, Alpha = 0.01 };

    [Fact]
    public void A_contemporaneous_collider_is_oriented_into_the_common_effect()
    {
        // x0_t -> x2_t <- x1_t with x0 and x1 independent: an unshielded collider, identifiable
        // (SyntheticVar wants lag-0 links from lower to higher indices, so the effect is x2: x0_t -> x2_t <- x1_t)
        var data = SyntheticVar.Generate(3, 1000, [new VarLink(0, 0, 1, 0.5), new VarLink(1, 1, 1, 0.5), new VarLink(2, 2, 1, 0.3), new VarLink(0, 2, 0, 0.6), new VarLink(1, 2, 0, 0.6)], seed: 3);
        var result = Pcmci.Run(data, Plus(1));
        Assert.Equal("-->", result.Graph[0][2][0]);
        Assert.Equal("<--", result.Graph[2][0][0]);
        Assert.Equal("-->", result.Graph[1][2][0]);
        Assert.Equal("", result.Graph[0][1][0]);
        Assert.Equal("-->", result.Graph[0][0][1]);
    }

    [Fact]
    public void A_lagged_driver_orients_a_contemporaneous_link_by_rule_one()
    {
        // x0_{t-1} -> x1_t -> x2_t; x0_{t-1} and x2_t are not adjacent, so x1 o-o x2 must be x1 --> x2 (no new collider)
        var data = SyntheticVar.Generate(3, 1000, [new VarLink(0, 1, 1, 0.7), new VarLink(1, 2, 0, 0.7), new VarLink(2, 2, 1, 0.3)], seed: 5);
        var result = Pcmci.Run(data, Plus(2));
        Assert.Equal("-->", result.Graph[0][1][1]);
        Assert.Equal("-->", result.Graph[1][2][0]);
        Assert.Equal("", result.Graph[0][2][1]);
        Assert.Contains(result.Links, l => l is { From: 1, To: 2, Lag: 0, Type: "-->" });
    }

    [Fact]
    public void Undirectable_contemporaneous_link_stays_unoriented()
    {
        // a lone x0_t -> x1_t with no lagged anchors: the Markov class cannot orient it
        var data = SyntheticVar.Generate(2, 800, [new VarLink(0, 1, 0, 0.7)], seed: 9);
        var result = Pcmci.Run(data, Plus(1));
        Assert.Equal("o-o", result.Graph[0][1][0]);
        Assert.Equal("o-o", result.Graph[1][0][0]);
        Assert.Single(result.Links, l => l.Lag == 0 && l.Type == "o-o");
    }

    [Fact]
    public void Auto_pc_alpha_runs_and_is_deterministic()
    {
        var data = SyntheticVar.Generate(3, 600, [new VarLink(0, 1, 1, 0.6), new VarLink(1, 2, 0, 0.6), new VarLink(2, 2, 1, 0.4)], seed: 2);
        var a = Pcmci.Run(data, Plus(2, null));
        var b = Pcmci.Run(data, Plus(2, null) with { Parallel = false });
        Assert.Equal(a.Graph.SelectMany(r => r.SelectMany(c => c)), b.Graph.SelectMany(r => r.SelectMany(c => c)));
        Assert.Equal("-->", a.Graph[1][2][0]);
    }
}
