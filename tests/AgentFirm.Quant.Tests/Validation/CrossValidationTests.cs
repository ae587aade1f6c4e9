using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Tests.Validation;

// Lopez de Prado, Advances in Financial Machine Learning (2018): purged k-fold with embargo (7.4) and
// combinatorial purged cross-validation (12.4).
public class CrossValidationTests
{
    [Fact]
    public void Purged_kfold_small_case_by_hand()
    {
        // T = 20, labels [i, i+2], 4 folds of 5, embargo ceil(0.1 * 20) = 2. Fold 1 tests 5..9, whose labels span
        // 5..11: 3 and 4 are purged (their labels reach 5..6), 10 and 11 are purged (they start inside 5..11)
        // and the embargo drops 12 and 13, the two observations after the test labels end.
        var splits = PurgedKFold.Split(LabelWindow.FixedHorizon(20, 2), 4, 0.1);
        Assert.Equal(4, splits.Count);
        Assert.Equal([5, 6, 7, 8, 9], splits[1].Test);
        Assert.Equal([0, 1, 2, 14, 15, 16, 17, 18, 19], splits[1].Train);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], splits[3].Train);
        Assert.Equal(Enumerable.Range(9, 11), splits[0].Train); // 5, 6 purged; 7, 8 embargoed
    }

    [Fact]
    public void Embargo_length_is_the_ceiling_of_the_fraction_of_observations()
    {
        Assert.Equal(1, Purging.EmbargoLength(100, 0.01));
        Assert.Equal(2, Purging.EmbargoLength(101, 0.01));
        Assert.Equal(0, Purging.EmbargoLength(100, 0));
    }

    [Theory]
    [InlineData(100, 5, 6, 0.01, 1)]
    [InlineData(250, 12, 5, 0.05, 2)]
    [InlineData(97, 0, 7, 0.0, 3)]
    [InlineData(300, 20, 10, 0.02, 4)]
    public void Purged_kfold_never_trains_on_an_overlapping_label_and_honours_the_embargo(int t, int maxHorizon, int folds, double embargoFraction, int seed)
    {
        var windows = RandomWindows(new Random(seed), t, maxHorizon);
        var splits = PurgedKFold.Split(windows, folds, embargoFraction);
        Assert.Equal(folds, splits.Count);
        Assert.Equal(Enumerable.Range(0, t), splits.SelectMany(s => s.Test).OrderBy(i => i));
        var embargo = Purging.EmbargoLength(t, embargoFraction);
        foreach (var split in splits)
            AssertPurgedAndEmbargoed(windows, split.Train, split.Test, embargo);
    }

    [Fact]
    public void Cpcv_with_6_groups_and_2_test_groups_has_15_splits_and_5_paths()
    {
        var plan = CombinatorialPurgedCv.Plan(LabelWindow.FixedHorizon(100, 5), 6, 2, 0.01);
        Assert.Equal(15, plan.Splits.Count);
        Assert.Equal(5, plan.PathCount);
        Assert.Equal(5, CombinatorialPurgedCv.PathCount(6, 2));
        AssertPathsCoverEveryObservationOnce(plan);
    }

    [Theory]
    [InlineData(10, 3, 120, 36)]
    [InlineData(6, 1, 6, 1)]
    [InlineData(5, 4, 5, 4)]
    [InlineData(8, 2, 28, 7)]
    public void Cpcv_split_and_path_counts_follow_phi_equals_k_over_N_times_N_choose_k(int groups, int testGroups, int splits, int paths)
    {
        var plan = CombinatorialPurgedCv.Plan(LabelWindow.FixedHorizon(203, 3), groups, testGroups, 0.01);
        Assert.Equal(splits, plan.Splits.Count);
        Assert.Equal(paths, plan.PathCount);
        AssertPathsCoverEveryObservationOnce(plan);
    }

    [Theory]
    [InlineData(100, 5, 6, 2, 0.01, 11)]
    [InlineData(240, 15, 8, 3, 0.03, 12)]
    [InlineData(90, 0, 6, 2, 0.05, 13)]
    public void Cpcv_never_trains_on_an_overlapping_label_and_honours_the_embargo(int t, int maxHorizon, int groups, int testGroups, double embargoFraction, int seed)
    {
        var windows = RandomWindows(new Random(seed), t, maxHorizon);
        var plan = CombinatorialPurgedCv.Plan(windows, groups, testGroups, embargoFraction);
        foreach (var split in plan.Splits)
        {
            Assert.Equal(split.TestGroups.SelectMany(g => plan.Groups[g]), split.Test);
            AssertPurgedAndEmbargoed(windows, split.Train, split.Test, plan.Embargo);
        }
        AssertPathsCoverEveryObservationOnce(plan);
    }

    [Fact]
    public void Cpcv_path_assembly_takes_each_groups_splits_in_order()
    {
        // N = 4, k = 2: splits {0,1},{0,2},{0,3},{1,2},{1,3},{2,3}; group 0 is tested by splits 0,1,2, so path 0
        // takes group 0 from split 0, path 1 from split 1, path 2 from split 2; group 3 by splits 2,4,5.
        var plan = CombinatorialPurgedCv.Plan(LabelWindow.FixedHorizon(40, 1), 4, 2, 0);
        Assert.Equal(3, plan.PathCount);
        Assert.Equal([0, 0, 1, 2], plan.Paths[0].Select(s => s.Split));
        Assert.Equal([1, 3, 3, 4], plan.Paths[1].Select(s => s.Split));
        Assert.Equal([2, 4, 5, 5], plan.Paths[2].Select(s => s.Split));
    }

    [Fact]
    public void Bad_plans_are_rejected()
    {
        var windows = LabelWindow.FixedHorizon(10, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => PurgedKFold.Split(windows, 11, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CombinatorialPurgedCv.Plan(windows, 5, 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CombinatorialPurgedCv.Plan(windows, 5, 2, 1.5));
    }

    private static void AssertPurgedAndEmbargoed(IReadOnlyList<LabelWindow> windows, IReadOnlyList<int> train, IReadOnlyList<int> test, int embargo)
    {
        Assert.Empty(train.Intersect(test));
        Assert.Equal(train.OrderBy(i => i), train);
        foreach (var i in train)
            foreach (var j in test)
                Assert.False(windows[i].Overlaps(windows[j]), $"train {i} {windows[i]} overlaps test {j} {windows[j]}");

        // Embargo: after every contiguous test block, no training observation among the `embargo` observations
        // that follow the block's last label end (nor, a fortiori, right after the block itself).
        var sorted = test.OrderBy(i => i).ToArray();
        var blockStart = 0;
        for (var k = 0; k < sorted.Length; k++)
        {
            if (k < sorted.Length - 1 && sorted[k + 1] == sorted[k] + 1) continue;
            var labelEnd = sorted[blockStart..(k + 1)].Max(i => windows[i].End);
            var lastStartingInside = Enumerable.Range(0, windows.Count).Where(i => windows[i].Start <= labelEnd).DefaultIfEmpty(sorted[k]).Max();
            var after = Math.Max(sorted[k], lastStartingInside);
            foreach (var i in train)
                Assert.False(i > sorted[k] && i <= after + embargo, $"train {i} lies in the purge/embargo zone after test block ending {sorted[k]}");
            blockStart = k + 1;
        }

        // Nothing else is dropped: every other observation whose label clears the test labels is trained on.
        var dropped = Enumerable.Range(0, windows.Count).Except(train).Except(test);
        foreach (var i in dropped)
        {
            var overlaps = test.Any(j => windows[i].Overlaps(windows[j]));
            Assert.True(overlaps || InEmbargo(i), $"observation {i} was dropped without reason");
        }

        bool InEmbargo(int i)
        {
            for (var d = 1; d <= embargo + windows.Max(w => w.End - w.Start) + 1; d++)
                if (i - d >= 0 && test.Contains(i - d)) return true;
            return false;
        }
    }

    private static void AssertPathsCoverEveryObservationOnce(CpcvPlan plan)
    {
        var usedSegments = new int[plan.Splits.Count];
        foreach (var path in plan.Paths)
        {
            Assert.Equal(plan.Groups.Count, path.Count);
            var covered = new List<int>();
            for (var g = 0; g < path.Count; g++)
            {
                var segment = path[g];
                Assert.Equal(g, segment.Group);
                Assert.Contains(g, plan.Splits[segment.Split].TestGroups);
                covered.AddRange(plan.Groups[g]);
                usedSegments[segment.Split]++;
            }
            Assert.Equal(Enumerable.Range(0, plan.Observations), covered.OrderBy(i => i));
        }
        // Every split's forecast of every one of its test groups is used by exactly one path.
        Assert.All(plan.Splits.Select((s, i) => (s, i)), x => Assert.Equal(x.s.TestGroups.Count, usedSegments[x.i]));
    }

    /// <summary>Label windows of varying length (as triple-barrier labels have), starting at each observation.</summary>
    private static LabelWindow[] RandomWindows(Random random, int count, int maxHorizon) =>
        Enumerable.Range(0, count).Select(i => new LabelWindow(i, i + random.Next(0, maxHorizon + 1))).ToArray();
}
