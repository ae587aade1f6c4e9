using AgentFirm.Quant.Regimes;

namespace AgentFirm.Quant.Tests.Regimes;

public sealed class GaussianMixtureTests
{
    [Fact]
    public void Log_likelihood_and_filtered_probabilities_are_the_weighted_density_and_Bayes_rule_per_observation()
    {
        var gmm = new GaussianMixture([0.7, 0.3], new double[,] { { 0, 0 }, { 1, 2 } }, new double[,] { { 1, 0.5 }, { 0.25, 2 } });
        double[][] x = [[0.2, -0.1], [1.1, 2.5], [3.0, 0.0]];
        double Density(int s, double[] v) => Enumerable.Range(0, 2).Aggregate(1.0, (p, d) =>
            p * Math.Exp(-Math.Pow(v[d] - gmm.Mean(s, d), 2) / (2 * gmm.Variance(s, d))) / Math.Sqrt(2 * Math.PI * gmm.Variance(s, d)));

        var expected = x.Sum(v => Math.Log(0.7 * Density(0, v) + 0.3 * Density(1, v)));
        Assert.Equal(expected, gmm.LogLikelihood(ObservationBlock.From(x)), 10);

        var filter = new StateFilter(gmm);
        foreach (var v in x)
        {
            filter.Step(v);
            var p1 = 0.3 * Density(1, v) / (0.7 * Density(0, v) + 0.3 * Density(1, v));
            Assert.Equal(p1, filter.Probabilities[1], 12); // no memory: yesterday's posterior plays no part
        }
    }

    [Fact]
    public void EM_never_lowers_the_likelihood_and_recovers_planted_clusters()
    {
        var (x, truth) = GaussianHmmTests.PlantedSequence(seed: 21, count: 1500);
        var fit = GaussianMixture.Fit(ObservationBlock.From(x), new StateFitOptions { States = 3, Restarts = 4, Tolerance = 0, MaxIterations = 80 });
        for (var i = 1; i < fit.LogLikelihoodTrace.Count; i++)
            Assert.True(fit.LogLikelihoodTrace[i] >= fit.LogLikelihoodTrace[i - 1] - 1e-9 * Math.Abs(fit.LogLikelihoodTrace[i - 1]));

        var model = (GaussianMixture)fit.Model;
        var order = Enumerable.Range(0, 3).OrderBy(s => model.Mean(s, 1)).ToArray();
        for (var planted = 0; planted < 3; planted++)
        {
            GaussianHmmTests.Near(GaussianHmmTests.PlantedMeans[planted, 0], model.Mean(order[planted], 0), 0.1);
            GaussianHmmTests.Near(GaussianHmmTests.PlantedMeans[planted, 1], model.Mean(order[planted], 1), 0.1);
            var share = truth.Count(s => s == planted) / (double)truth.Length;
            GaussianHmmTests.Near(share, model.Weight(order[planted]), 0.05);
        }
    }
}
