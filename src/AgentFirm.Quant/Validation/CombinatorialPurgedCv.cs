namespace AgentFirm.Quant.Validation;

/// <summary>One CPCV split: the test groups it holds out and the purged, embargoed training set.</summary>
public sealed record CpcvSplit(IReadOnlyList<int> TestGroups, IReadOnlyList<int> Train, IReadOnlyList<int> Test);

/// <summary>One segment of a backtest path: group <c>Group</c> is forecast by the model of split <c>Split</c>.</summary>
public readonly record struct PathSegment(int Group, int Split);

/// <summary>A CPCV plan: the groups, the C(N, k) splits and the phi = k/N C(N, k) backtest paths they imply.</summary>
public sealed record CpcvPlan(
    int Observations,
    int Embargo,
    IReadOnlyList<IReadOnlyList<int>> Groups,
    IReadOnlyList<CpcvSplit> Splits,
    IReadOnlyList<IReadOnlyList<PathSegment>> Paths)
{
    public int PathCount => Paths.Count;
}

/// <summary>
/// Combinatorial purged cross-validation (Lopez de Prado, Advances in Financial Machine Learning, 2018, section
/// 12.4): T observations in N contiguous groups; every choice of k test groups is a split (C(N, k) of them),
/// trained on the other N - k groups after purging and an embargo after each contiguous test block. Each
/// group is tested in C(N-1, k-1) splits, so the splits assemble into phi = k/N C(N, k) = C(N-1, k-1) complete
/// backtest paths (12.4.1): path p takes group g's forecasts from the p-th split, in split order, that tests g.
/// </summary>
public static class CombinatorialPurgedCv
{
    public static CpcvPlan Plan(IReadOnlyList<LabelWindow> windows, int groups, int testGroups, double embargoFraction)
    {
        Purging.Validate(windows);
        if (groups < 2) throw new ArgumentOutOfRangeException(nameof(groups), groups, "CPCV needs at least 2 groups");
        if (testGroups < 1 || testGroups >= groups) throw new ArgumentOutOfRangeException(nameof(testGroups), testGroups, $"the number of test groups must lie in [1, {groups - 1}]");
        if (groups > windows.Count) throw new ArgumentOutOfRangeException(nameof(groups), groups, $"too few observations: {windows.Count} observations for {groups} groups");
        var embargo = Purging.EmbargoLength(windows.Count, embargoFraction);
        var blocks = Combinatorics.ContiguousBlocks(windows.Count, groups);

        var splits = new List<CpcvSplit>();
        foreach (var chosen in Combinatorics.Subsets(groups, testGroups))
        {
            var test = chosen.SelectMany(g => blocks[g]).ToArray();
            splits.Add(new CpcvSplit(chosen, Purging.TrainingIndices(windows, test, embargo), test));
        }

        // Path assembly: the j-th split (in order) that tests group g supplies path j's segment for g.
        var pathCount = (int)Combinatorics.Binomial(groups - 1, testGroups - 1);
        var paths = new PathSegment[pathCount][];
        for (var p = 0; p < pathCount; p++) paths[p] = new PathSegment[groups];
        for (var g = 0; g < groups; g++)
        {
            var p = 0;
            for (var s = 0; s < splits.Count; s++)
                if (splits[s].TestGroups.Contains(g)) paths[p++][g] = new PathSegment(g, s);
        }
        return new CpcvPlan(windows.Count, embargo, blocks, splits, paths);
    }

    /// <summary>phi[N, k] = k/N C(N, k), the number of backtest paths (AFML 12.4.1).</summary>
    public static long PathCount(int groups, int testGroups) => Combinatorics.Binomial(groups, testGroups) * testGroups / groups;
}
