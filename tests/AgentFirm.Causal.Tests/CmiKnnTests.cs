using System.Globalization;
using System.Text.Json;

namespace AgentFirm.Causal.Tests;

/// <summary>CMIknn: the estimator against closed-form mutual information, and PCMCI finding a nonlinear link with it.</summary>
public class CmiKnnTests
{
    [Fact]
    public void Estimate_recovers_gaussian_mutual_information()
    {
        // I(X;Y) = -0.5 ln(1 - rho^2) for a bivariate normal (Cover & Thomas, example 8.5.1); ranks keep MI unchanged
        var random = new Random(1);
        const double rho = 0.6;
        var x = Synthetic.Noise(random, 600);
        var y = x.Select(v => rho * v + Math.Sqrt(1 - rho * rho) * Synthetic.Normal(random)).ToArray();
        var expected = -0.5 * Math.Log(1 - rho * rho);
        Assert.InRange(CmiKnn.Estimate(x, y, [], 10), expected - 0.06, expected + 0.06);
        Assert.InRange(CmiKnn.Estimate(x, Synthetic.Noise(random, 600), [], 10), -0.04, 0.04);
    }

    [Fact]
    public void Estimate_matches_tigramite_cmiknn()
    {
        // Reference/tigramite_cmiknn_reference.py: tigramite's CMIknn.get_dependence_measure (transform 'ranks') on the
        // same 300 rows for k = 5%, 10%, 20% of the samples and Z = {}, {z1}, {z1, z2}
        var folder = Path.Combine(AppContext.BaseDirectory, "Reference");
        var rows = File.ReadAllLines(Path.Combine(folder, "cmi.csv")).Skip(1)
            .Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        double[] Col(int c) => rows.Select(r => r[c]).ToArray();
        var columns = new Dictionary<string, double[]> { ["z1"] = Col(2), ["z2"] = Col(3) };
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "cmi_tigramite.json")));
        var cases = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(9, cases.Length);
        foreach (var c in cases)
        {
            var k = Math.Max(1, (int)(c.GetProperty("knn").GetDouble() * rows.Length));
            var z = c.GetProperty("z").EnumerateArray().Select(e => (IReadOnlyList<double>)columns[e.GetString()!]).ToArray();
            Assert.Equal(c.GetProperty("value").GetDouble(), CmiKnn.Estimate(Col(0), Col(1), z, k), 10);
        }
    }

    [Fact]
    public void Conditioning_on_a_common_cause_removes_the_dependence()
    {
        var random = new Random(2);
        var z = Synthetic.Noise(random, 500);
        var x = z.Select(v => Math.Tanh(2 * v) + 0.3 * Synthetic.Normal(random)).ToArray();
        var y = z.Select(v => v * v + 0.3 * Synthetic.Normal(random)).ToArray();
        Assert.True(CmiKnn.Estimate(x, y, [], 10) > 0.1);
        Assert.InRange(CmiKnn.Estimate(x, y, [z], 10), -0.05, 0.05);
    }

    [Fact]
    public void Pcmci_with_cmiknn_finds_a_quadratic_link_that_parcorr_misses()
    {
        // x1_t = 0.9 (x0_{t-1}^2 - 1) + noise: uncorrelated with x0_{t-1} (x0 symmetric), but dependent
        var links = new[] { new VarLink(0, 1, 1, 0.9, v => v * v - 1), new VarLink(2, 2, 1, 0.5) };
        var data = SyntheticVar.Generate(3, 250, links, seed: 4);
        var cmi = Pcmci.Run(data, new PcmciOptions { TauMax = 1, PcAlpha = 0.2, Alpha = 0.05, Test = new CmiKnn(knn: 0.1, shuffles: 50, seed: 1) });
        var linear = Pcmci.Run(data, new PcmciOptions { TauMax = 1, PcAlpha = 0.2, Alpha = 0.05 });
        Assert.True(cmi.PMatrix[0][1][1] <= 0.02, $"CMIknn p {cmi.PMatrix[0][1][1]}");
        Assert.True(linear.PMatrix[0][1][1] > 0.05, $"ParCorr p {linear.PMatrix[0][1][1]}");
        Assert.Contains(cmi.Links, l => l is { From: 0, To: 1, Lag: 1 });
        Assert.Contains(cmi.Links, l => l is { From: 2, To: 2, Lag: 1 });
        // the permutation test is seeded per test: a rerun gives the same numbers
        var again = Pcmci.Run(data, new PcmciOptions { TauMax = 1, PcAlpha = 0.2, Alpha = 0.05, Test = new CmiKnn(knn: 0.1, shuffles: 50, seed: 1) });
        Assert.Equal(cmi.PMatrix.SelectMany(r => r.SelectMany(c => c)), again.PMatrix.SelectMany(r => r.SelectMany(c => c)));
    }

    [Fact]
    public void Shuffle_p_values_of_independent_series_are_not_small()
    {
        var random = new Random(3);
        var data = new PcmciData(["a", "b", "c"], [Synthetic.Noise(random, 200), Synthetic.Noise(random, 200), Synthetic.Noise(random, 200)]);
        var session = new CmiKnn(knn: 0.1, shuffles: 50, seed: 2).Open(data, tauMax: 1);
        var p = new List<double>();
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                p.Add(session.Test(new LaggedVar(i, 1), new LaggedVar(j, 0), [new LaggedVar((j + 1) % 3, 1)]).PValue);
        Assert.True(p.Count(v => v < 0.05) <= 2, string.Join(", ", p));
        Assert.True(p.Average() > 0.25, string.Join(", ", p));
    }

    [Fact]
    public void Auto_pc_alpha_is_refused_up_front_without_a_model_selection_score()
    {
        var data = SyntheticVar.Generate(2, 100, [new VarLink(0, 1, 1, 0.5)], seed: 1);
        var error = Assert.Throws<ArgumentException>(() => Pcmci.Run(data, new PcmciOptions { PcAlpha = null, Test = new CmiKnn(shuffles: 5) }));
        Assert.Contains("cmiknn", error.Message);
    }
}
