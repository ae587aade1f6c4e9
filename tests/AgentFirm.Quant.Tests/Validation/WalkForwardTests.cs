using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Validation;

// Walk-forward with periodic retraining, purged and embargoed as in Lopez de Prado, AFML (2018) 7.4.
public class WalkForwardTests
{
    [Fact]
    public void Small_expanding_case_by_hand()
    {
        // T = 20, labels [i, i + 2], first fit after 8, refit every 5, embargo 1.
        // Step 0 tests 8..12: 6 and 7 are purged (labels reach 8, 9), 7 is also the embargo gap -> train 0..5.
        // Step 1 tests 13..17: train 0..10 (11, 12 purged; 12 embargoed). Step 2 tests 18, 19: train 0..15.
        var splits = WalkForward.Split(LabelWindow.FixedHorizon(20, 2), new WalkForwardOptions { InitialTraining = 8, RetrainEvery = 5, Embargo = 1 });
        Assert.Equal(3, splits.Count);
        Assert.Equal([8, 13, 18], splits.Select(s => s.RetrainAt));
        Assert.Equal(Enumerable.Range(8, 5), splits[0].Test);
        Assert.Equal(Enumerable.Range(0, 6), splits[0].Train);
        Assert.Equal(Enumerable.Range(0, 11), splits[1].Train);
        Assert.Equal([18, 19], splits[2].Test);
        Assert.Equal(Enumerable.Range(0, 16), splits[2].Train);
    }

    [Fact]
    public void Rolling_window_keeps_only_the_last_L_observations()
    {
        var splits = WalkForward.Split(LabelWindow.FixedHorizon(40, 0),
            new WalkForwardOptions { InitialTraining = 10, RetrainEvery = 10, Window = TrainingWindowKind.Rolling, RollingLength = 6 });
        Assert.Equal([10, 20, 30], splits.Select(s => s.RetrainAt));
        Assert.Equal(Enumerable.Range(4, 6), splits[0].Train);
        Assert.Equal(Enumerable.Range(14, 6), splits[1].Train);
        Assert.Equal(Enumerable.Range(24, 6), splits[2].Train);
    }

    [Theory]
    [InlineData(200, 10, 50, 7, 0, TrainingWindowKind.Expanding, 1)]
    [InlineData(333, 25, 60, 20, 3, TrainingWindowKind.Expanding, 2)]
    [InlineData(500, 5, 100, 33, 2, TrainingWindowKind.Rolling, 3)]
    [InlineData(120, 0, 30, 1, 5, TrainingWindowKind.Rolling, 4)]
    public void No_training_label_overlaps_a_test_label_and_the_retrain_schedule_tiles_the_sample(
        int count, int maxHorizon, int initial, int every, int embargo, TrainingWindowKind kind, int seed)
    {
        var rng = new Random(seed);
        var windows = Enumerable.Range(0, count).Select(i => new LabelWindow(i, i + rng.Next(0, maxHorizon + 1))).ToArray();
        var options = new WalkForwardOptions { InitialTraining = initial, RetrainEvery = every, Embargo = embargo, Window = kind, RollingLength = 40 };
        var splits = WalkForward.Split(windows, options);

        // Refits at initial, initial + R, ...; the test blocks tile [initial, T) exactly once.
        Assert.Equal((count - initial + every - 1) / every, splits.Count);
        for (var k = 0; k < splits.Count; k++)
        {
            Assert.Equal(k, splits[k].Step);
            Assert.Equal(initial + k * every, splits[k].RetrainAt);
            Assert.Equal(splits[k].RetrainAt, splits[k].Test[0]);
        }
        Assert.Equal(Enumerable.Range(initial, count - initial), splits.SelectMany(s => s.Test));

        foreach (var split in splits)
        {
            foreach (var i in split.Train)
            {
                Assert.True(i < split.RetrainAt - embargo, $"step {split.Step}: {i} lies in the embargo before {split.RetrainAt}");
                if (kind == TrainingWindowKind.Rolling) Assert.True(i >= split.RetrainAt - 40, $"{i} is older than the rolling window");
                foreach (var j in split.Test)
                    Assert.False(windows[i].Overlaps(windows[j]), $"step {split.Step}: train {i} {windows[i]} overlaps test {j} {windows[j]}");
            }
            // Purging drops nothing more than needed: every non-overlapping candidate outside the embargo is kept.
            var from = kind == TrainingWindowKind.Rolling ? Math.Max(0, split.RetrainAt - 40) : 0;
            var expected = Enumerable.Range(from, Math.Max(0, split.RetrainAt - embargo - from))
                .Where(i => split.Test.All(j => !windows[i].Overlaps(windows[j])));
            Assert.Equal(expected, split.Train);
        }
    }

    [Fact]
    public void Rejects_settings_that_leave_nothing_to_test_or_no_rolling_length()
    {
        var windows = LabelWindow.FixedHorizon(10, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => WalkForward.Split(windows, new WalkForwardOptions { InitialTraining = 10, RetrainEvery = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => WalkForward.Split(windows, new WalkForwardOptions { InitialTraining = 3, RetrainEvery = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => WalkForward.Split(windows, new WalkForwardOptions { InitialTraining = 3, RetrainEvery = 2, Window = TrainingWindowKind.Rolling }));
    }
}
