using AgentFirm.Core;
using AgentFirm.Quant.Firm;

namespace AgentFirm.Quant.Tests.Firm;

public sealed class EvidenceMathTests
{
    /// <summary>The penalised log-likelihood the fit maximises, written out independently of the Newton solver.</summary>
    private static double PenalisedLogLikelihood(IReadOnlyList<(double X, bool Up)> calls, double a, double b, double ridge, (double A, double B) prior)
    {
        var sum = -0.5 * ridge * ((a - prior.A) * (a - prior.A) + (b - prior.B) * (b - prior.B));
        foreach (var (x, up) in calls)
        {
            var z = a * Math.Sign(x) + b * x;
            sum += up ? -Math.Log(1 + Math.Exp(-z)) : -Math.Log(1 + Math.Exp(z));
        }
        return sum;
    }

    [Fact]
    public void Logistic_calibration_finds_the_maximum_of_the_penalised_likelihood_that_a_grid_search_finds()
    {
        var random = new Random(7);
        var calls = new List<(double, bool)>();
        var fit = new OnlineLogistic(window: 300, ridge: 1.0);
        for (var i = 0; i < 300; i++)
        {
            var x = 2 * random.NextDouble() - 1;
            var up = random.NextDouble() < OnlineLogistic.Sigmoid(0.3 * Math.Sign(x) + 0.8 * x);
            calls.Add((x, up));
            fit.Add(x, up);
        }

        // Independent check: a brute-force grid (step 0.002) around the answer finds no better point.
        var (a, b) = fit.Coefficients;
        var best = PenalisedLogLikelihood(calls, a, b, 1.0, (0, 0));
        for (var da = -0.2; da <= 0.2; da += 0.002)
            for (var db = -0.4; db <= 0.4; db += 0.004)
                Assert.True(PenalisedLogLikelihood(calls, a + da, b + db, 1.0, (0, 0)) <= best + 1e-9, $"({a + da}, {b + db}) beats the fit ({a}, {b})");
        Assert.True(fit.StandardErrors.Sign > 0 && fit.StandardErrors.Linear > 0);
    }

    [Fact]
    public void Logistic_calibration_forgets_calls_older_than_its_window()
    {
        var fit = new OnlineLogistic(window: 50, ridge: 0.5);
        for (var i = 0; i < 50; i++) fit.Add(1, up: false);   // an old regime: bullish calls were wrong
        for (var i = 0; i < 50; i++) fit.Add(1, up: true);    // now they are right, and only these remain
        Assert.Equal(50, fit.Count);
        Assert.True(fit.LogOdds(1, 0) > 2, $"log-odds {fit.LogOdds(1, 0)}");
    }

    [Fact]
    public void An_input_with_no_link_to_outcomes_is_mostly_shrunk_to_no_trust()
    {
        // On pure noise the fit always finds something; shrunk by two standard errors it should say nothing
        // in about 95% of runs (a two-sided 5% test). Forty independent noise histories: at most six may keep
        // any trust (the 95th percentile of Binomial(40, 0.05) is 4; six leaves room for the two-term fit).
        var kept = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var random = new Random(seed);
            var fit = new OnlineLogistic(window: 750, ridge: 1.0);
            for (var i = 0; i < 750; i++) fit.Add(2 * random.NextDouble() - 1, random.NextDouble() < 0.5);
            if (fit.LogOdds(1, 2.0) != 0 || fit.LogOdds(-0.3, 2.0) != 0) kept++;
            Assert.NotEqual(0, fit.LogOdds(1, 0)); // unshrunk, noise always fits something
        }
        Assert.True(kept <= 6, $"{kept} of 40 noise histories kept trust");
    }

    [Fact]
    public void Hedge_weights_follow_the_exponential_of_minus_eta_times_excess_log_loss()
    {
        var hedge = new HedgeWeights(learningRate: 0.5, discount: 1.0);
        hedge.Score("good", Regime.Normal, 0.8);  // excess loss -ln 0.8 - ln 2 = -0.4700
        hedge.Score("bad", Regime.Normal, 0.3);   // -ln 0.3 - ln 2 = 0.5108
        var weights = new Dictionary<string, double>();
        hedge.Weights(["good", "bad"], Regime.Normal, weights);

        // Hand-worked: ratio = exp(-0.5 (-0.4700 - 0.5108)) = exp(0.4904) = 1.6330; weights scaled to mean one.
        Assert.Equal(1.6330, weights["good"] / weights["bad"], 3);
        Assert.Equal(2.0, weights["good"] + weights["bad"], 12);

        // Another regime has its own record: no calls there, equal weights.
        hedge.Weights(["good", "bad"], Regime.Crisis, weights);
        Assert.Equal(1.0, weights["good"], 12);
        Assert.Equal(1.0, weights["bad"], 12);
    }

    [Fact]
    public void Reliability_table_bins_calls_by_stated_confidence_and_scores_brier()
    {
        var table = new ReliabilityTable();
        table.Add(0.55, true);
        table.Add(0.55, false);
        table.Add(0.58, true);
        table.Add(0.91, true);

        var bins = table.Table();
        Assert.Equal(3, bins[5].Calls);
        Assert.Equal((0.55 + 0.55 + 0.58) / 3, bins[5].MeanConfidence, 12);
        Assert.Equal(2 / 3.0, bins[5].HitRate, 12);
        Assert.Equal(1, bins[9].Calls);
        // Brier (1950): mean of (outcome - stated)^2 = (0.45^2 + 0.55^2 + 0.42^2 + 0.09^2) / 4.
        Assert.Equal((0.2025 + 0.3025 + 0.1764 + 0.0081) / 4, table.Brier, 12);
    }
}
