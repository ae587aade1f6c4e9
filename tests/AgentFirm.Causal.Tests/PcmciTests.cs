namespace AgentFirm.Causal.Tests;

/// <summary>PCMCI on seeded VAR processes with known graphs (Runge et al. 2019 use the same kind of benchmark).</summary>
public class PcmciTests
{
    private static HashSet<(int, int, int)> Found(PcmciResult result) => result.Links.Select(l => (l.From, l.To, l.Lag)).ToHashSet();

    public static TheoryData<int, int, int> Sizes => new() { { 3, 2, 1 }, { 5, 3, 2 }, { 8, 4, 3 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void True_lagged_links_are_found_and_few_others(int variables, int tauMax, int seed)
    {
        var truth = SyntheticVar.RandomGraph(variables, tauMax, seed, auto: 0.5, cross: 0.4);
        var data = SyntheticVar.Generate(variables, 1000, truth, seed);
        var result = Pcmci.Run(data, new PcmciOptions { TauMax = tauMax, PcAlpha = 0.2, Alpha = 0.01 });
        var found = Found(result);
        foreach (var l in truth) Assert.Contains((l.From, l.To, l.Lag), found);
        var nullLinks = variables * variables * tauMax - truth.Count;
        Assert.True(found.Count - truth.Count <= Math.Max(2, 0.03 * nullLinks), $"{found.Count - truth.Count} false links of {nullLinks}");
        Assert.All(result.Links, l => Assert.Equal("-->", l.Type));
    }

    [Fact]
    public void A_common_driver_does_not_make_its_effects_look_causal()
    {
        // x0 drives x1 at lag 1 and x2 at lag 2: x1(t-1) and x2(t) are correlated, but MCI conditions that away
        var truth = new[] { new VarLink(0, 0, 1, 0.5), new VarLink(0, 1, 1, 0.6), new VarLink(0, 2, 2, 0.6), new VarLink(1, 1, 1, 0.3), new VarLink(2, 2, 1, 0.3) };
        var data = SyntheticVar.Generate(3, 1500, truth, seed: 21);
        var result = Pcmci.Run(data, new PcmciOptions { TauMax = 3, Alpha = 0.01 });
        var steps = Enumerable.Range(6, 1500 - 6).ToArray();
        var raw = ParCorr.PartialCorrelation(steps.Select(t => data[1, t - 1]).ToArray(), steps.Select(t => data[2, t]).ToArray(), []);
        Assert.True(Math.Abs(raw) > 0.2, $"lagged correlation {raw}");
        Assert.True(Math.Abs(result.ValMatrix[1][2][1]) < 0.1, $"MCI partial correlation {result.ValMatrix[1][2][1]}");
        Assert.Contains(new LaggedVar(0, 2), result.Parents[2]);
        Assert.True(result.PMatrix[0][2][2] < 1e-10);
    }

    [Fact]
    public void P_values_of_null_links_are_roughly_uniform()
    {
        // eight independent AR(1) series: every cross link is null; 8 * 7 * 3 = 168 p-values per run, three runs
        var nulls = new List<double>();
        for (var seed = 1; seed <= 3; seed++)
        {
            var links = Enumerable.Range(0, 8).Select(v => new VarLink(v, v, 1, 0.6)).ToArray();
            var data = SyntheticVar.Generate(8, 600, links, seed);
            var result = Pcmci.Run(data, new PcmciOptions { TauMax = 3, PcAlpha = 0.2 });
            for (var i = 0; i < 8; i++)
                for (var j = 0; j < 8; j++)
                    for (var tau = 1; tau <= 3; tau++)
                        if (i != j) nulls.Add(result.PMatrix[i][j][tau]);
        }
        var below = nulls.Count(p => p < 0.05) / (double)nulls.Count;
        Assert.InRange(below, 0.02, 0.09);
        // Kolmogorov-Smirnov distance to U(0, 1); 1.36 / sqrt(504) = 0.061 would be the 5% critical value for independent
        // p-values, but tests within one run share data and conditions, so allow a wider band
        var sorted = nulls.Order().ToArray();
        var ks = sorted.Select((p, k) => Math.Max((k + 1.0) / sorted.Length - p, p - (double)k / sorted.Length)).Max();
        Assert.True(ks < 0.1, $"KS distance {ks:F3}");
    }

    [Fact]
    public void Results_are_identical_across_runs_and_thread_counts()
    {
        var truth = SyntheticVar.RandomGraph(6, 3, seed: 4);
        var data = SyntheticVar.Generate(6, 500, truth, seed: 4);
        var options = new PcmciOptions { TauMax = 3, PcAlpha = null, Fdr = FdrCorrection.BenjaminiHochberg };
        var a = Pcmci.Run(data, options);
        var b = Pcmci.Run(data, options);
        var c = Pcmci.Run(data, options with { Parallel = false });
        foreach (var other in new[] { b, c })
        {
            Assert.Equal(Flatten(a.PMatrix), Flatten(other.PMatrix));
            Assert.Equal(Flatten(a.ValMatrix), Flatten(other.ValMatrix));
            Assert.Equal(a.PcAlphas, other.PcAlphas);
            Assert.Equal(a.PcTests, other.PcTests);
        }
    }

    private static double[] Flatten(double[][][] m) => m.SelectMany(r => r.SelectMany(c => c)).ToArray();

    [Fact]
    public void Mci_p_value_equals_the_partial_correlation_given_both_parent_sets()
    {
        // independent recomputation of one MCI test from the PC1 parents the run reports
        var truth = new[] { new VarLink(0, 0, 1, 0.5), new VarLink(0, 1, 2, 0.5), new VarLink(1, 1, 1, 0.4), new VarLink(2, 2, 1, 0.5), new VarLink(2, 0, 1, 0.3) };
        var data = SyntheticVar.Generate(3, 400, truth, seed: 8);
        const int tauMax = 2;
        var result = Pcmci.Run(data, new PcmciOptions { TauMax = tauMax, PcAlpha = 0.1 });
        var x = new LaggedVar(0, 2);
        var conds = result.Parents[1].Where(p => p != x).ToList();
        foreach (var p in result.Parents[0])
        {
            var shifted = new LaggedVar(p.Var, p.Lag + x.Lag);
            if (!conds.Contains(shifted)) conds.Add(shifted);
        }
        var steps = Enumerable.Range(2 * tauMax, 400 - 2 * tauMax).ToArray();
        IReadOnlyList<double> Col(LaggedVar v) => steps.Select(t => data[v.Var, t - v.Lag]).ToArray();
        var r = ParCorr.PartialCorrelation(Col(x), Col(new LaggedVar(1, 0)), conds.Select(Col).ToArray());
        Assert.Equal(r, result.ValMatrix[0][1][2], 10);
        Assert.Equal(ParCorr.PValue(r, steps.Length - 2 - conds.Count), result.PMatrix[0][1][2], 10);
        Assert.Contains(new LaggedVar(0, 2), result.Parents[1]);
    }

    [Fact]
    public void Fdr_correction_raises_p_values_and_leaves_lag_zero_alone()
    {
        var truth = SyntheticVar.RandomGraph(4, 2, seed: 2);
        var data = SyntheticVar.Generate(4, 400, truth, seed: 2);
        var raw = Pcmci.Run(data, new PcmciOptions { TauMin = 0, TauMax = 2 });
        var bh = Pcmci.Run(data, new PcmciOptions { TauMin = 0, TauMax = 2, Fdr = FdrCorrection.BenjaminiHochberg });
        var lagged = new List<double>();
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(raw.PMatrix[i][j][0], bh.PMatrix[i][j][0]);
                for (var tau = 1; tau <= 2; tau++)
                {
                    Assert.True(bh.PMatrix[i][j][tau] >= raw.PMatrix[i][j][tau]);
                    lagged.Add(raw.PMatrix[i][j][tau]);
                }
            }
        var q = FalseDiscovery.BenjaminiHochberg(lagged);
        // the correction runs over all lagged entries together (tigramite's mask), in the order they were listed
        for (var k = 0; k < q.Length; k++)
            Assert.Equal(q[k], bh.PMatrix[k / 8][k / 2 % 4][k % 2 + 1], 12);
    }

    [Fact]
    public void Auto_pc_alpha_picks_from_the_list_and_finds_the_links()
    {
        var truth = SyntheticVar.RandomGraph(4, 2, seed: 12, auto: 0.5, cross: 0.4);
        var data = SyntheticVar.Generate(4, 800, truth, seed: 12);
        var result = Pcmci.Run(data, new PcmciOptions { TauMax = 2, PcAlpha = null, Alpha = 0.01 });
        Assert.All(result.PcAlphas, a => Assert.Contains(a, PcmciOptions.AutoPcAlphas));
        foreach (var l in truth) Assert.Contains((l.From, l.To, l.Lag), Found(result));
    }

    [Fact]
    public void Contemporaneous_links_are_tested_with_tau_min_zero_and_symmetric()
    {
        var truth = new[] { new VarLink(0, 0, 1, 0.5), new VarLink(0, 1, 0, 0.6), new VarLink(1, 1, 1, 0.4), new VarLink(2, 2, 1, 0.5) };
        var data = SyntheticVar.Generate(3, 800, truth, seed: 6);
        var result = Pcmci.Run(data, new PcmciOptions { TauMin = 0, TauMax = 1, Alpha = 0.01 });
        Assert.Equal("o-o", result.Graph[0][1][0]);
        Assert.Equal("o-o", result.Graph[1][0][0]);
        Assert.Equal(result.PMatrix[0][1][0], result.PMatrix[1][0][0]);
        Assert.Equal("", result.Graph[0][2][0]);
        Assert.Single(result.Links, l => l.Lag == 0);
    }
}
