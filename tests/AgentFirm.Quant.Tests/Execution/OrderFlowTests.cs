using AgentFirm.Core;
using AgentFirm.Quant.Execution;
using static AgentFirm.Quant.Tests.Execution.ExecutionMarket;

namespace AgentFirm.Quant.Tests.Execution;

public sealed class OrderFlowTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private const double Phi1 = 0.8413447460685429; // standard normal CDF at 1 (tables: 0.84134)

    [Fact]
    public void Vpin_matches_a_worked_example_of_the_papers_definition()
    {
        // Easley, López de Prado, O'Hara (2012): buy = V Z(dP / sigma), buckets of V = 10, VPIN over n = 2 buckets.
        // With sigma = 1 and closes 100 -> 100 -> 101 -> 100:
        //   bar 1: dP  0, V 6 -> buy 3,              sell 3
        //   bar 2: dP +1, V 8 -> buy 8 Phi(1),       sell 8 (1 - Phi(1));  4 of it completes bucket 1, 4 opens bucket 2
        //   bar 3: dP -1, V 6 -> buy 6 (1 - Phi(1)), sell 6 Phi(1)
        // bucket 1: buy 3 + 4 Phi(1), sell 3 + 4 (1 - Phi(1))          |S - B| = 8 Phi(1) - 4      = 2.730758
        // bucket 2: buy 4 Phi(1) + 6 (1 - Phi(1)), sell the rest       |S - B| = |2 - 4 Phi(1)|    = 1.365379
        // VPIN = (2.730758 + 1.365379) / (2 x 10) = 0.204807
        var bvc = new BulkVolumeClassifier(fixedSigma: 1);
        var vpin = new VpinEstimator(bucketVolume: 10, buckets: 2);
        var bars = new[]
        {
            At(Day0, Minute, 100, 100, 100, 100, 0),
            At(Day0.AddMinutes(1), Minute, 100, 100, 100, 100, 6),
            At(Day0.AddMinutes(2), Minute, 100, 101, 100, 101, 8),
            At(Day0.AddMinutes(3), Minute, 101, 101, 100, 100, 6),
        };

        var values = bars.Select(b => vpin.Add(bvc.Classify(b))).ToArray();

        Assert.True(double.IsNaN(values[2]));                  // one bucket full: not known yet
        var expected = ((8 * Phi1 - 4) + Math.Abs(2 - 4 * Phi1)) / 20;
        Assert.Equal(expected, values[3], 12);
        Assert.Equal(0.2048068, values[3], 6);
    }

    [Fact]
    public void Vpin_drops_the_oldest_bucket_once_more_than_n_are_full()
    {
        var vpin = new VpinEstimator(bucketVolume: 10, buckets: 2);
        vpin.Add(new SignedVolume(10, 0));   // |imbalance| 10
        vpin.Add(new SignedVolume(5, 5));    // 0
        Assert.Equal(0.5, vpin.Value, 12);
        vpin.Add(new SignedVolume(5, 5));    // 0: the first bucket leaves the window
        Assert.Equal(0, vpin.Value, 12);
    }

    [Fact]
    public void Bulk_volume_classification_splits_evenly_on_an_unchanged_price_and_uses_only_past_changes()
    {
        var bvc = new BulkVolumeClassifier(window: 3);
        var first = bvc.Classify(At(Day0, Minute, 100, 100, 100, 100, 10));
        var flat = bvc.Classify(At(Day0.AddMinutes(1), Minute, 100, 100, 100, 100, 10));
        Assert.Equal(new SignedVolume(5, 5), first);
        Assert.Equal(5, flat.Buy, 12);
        // Changes +2 then -1 (window mean 0.33, sd of {0, 2, -1} = 1.5275): the last bar's buy share is Z(-1 / 1.5275).
        bvc.Classify(At(Day0.AddMinutes(2), Minute, 100, 102, 100, 102, 10));
        var down = bvc.Classify(At(Day0.AddMinutes(3), Minute, 102, 102, 101, 101, 10));
        var sd = Math.Sqrt(((0 - 1 / 3.0) * (0 - 1 / 3.0) + (2 - 1 / 3.0) * (2 - 1 / 3.0) + (-1 - 1 / 3.0) * (-1 - 1 / 3.0)) / 2);
        Assert.Equal(10 * AgentFirm.Quant.Validation.StandardNormal.Cdf(-1 / sd), down.Buy, 12);
    }

    [Fact]
    public void Order_flow_features_are_as_of_each_bar_and_use_the_taker_buy_split_when_given()
    {
        var bars = Enumerable.Range(0, 30).Select(k => At(Day0.AddMinutes(k), Minute, 100 + k % 3, 103, 99, 100 + (k * 7) % 5, 10 + k)).ToArray();
        var fractions = bars.Select((_, k) => k % 2 == 0 ? 0.8 : 0.3).ToArray();

        var full = OrderFlowFeatures.Compute(bars, bucketVolume: 15, buckets: 3, imbalanceWindow: 2, takerBuyFraction: fractions);
        var cut = OrderFlowFeatures.Compute(bars[..20], bucketVolume: 15, buckets: 3, imbalanceWindow: 2, takerBuyFraction: fractions[..20]);

        Assert.Equal(cut.Vpin, full.Vpin[..20]);
        Assert.Equal(cut.Imbalance, full.Imbalance[..20]);
        // bars 28 and 29: (0.6 x 38 - 0.4 x 39) / 77
        Assert.Equal((0.6 * 38 - 0.4 * 39) / 77, full.Imbalance[29], 12);
    }

    [Fact]
    public void Toxicity_rule_flags_a_burst_of_one_sided_flow_after_calm_balanced_trading()
    {
        // 400 calm minutes alternating up and down, then 40 minutes of steady one-way selling.
        var bars = new List<Bar>();
        var price = 100.0;
        for (var k = 0; k < 440; k++)
        {
            var next = k < 400 ? price + (k % 2 == 0 ? 0.1 : -0.1) : price - 0.3;
            bars.Add(At(Day0.AddMinutes(k), Minute, price, Math.Max(price, next), Math.Min(price, next), next, 100));
            price = next;
        }
        var rule = new VpinToxicityRule { Enabled = true, Buckets = 10, LookbackBars = 440, MinimumValues = 50 };

        var calm = rule.Read(bars.Take(400).ToList());
        var burst = rule.Read(bars);

        Assert.False(calm.Toxic);
        Assert.True(burst.Toxic, burst.Reason);
        Assert.True(burst.Vpin > calm.Vpin);
    }
}
