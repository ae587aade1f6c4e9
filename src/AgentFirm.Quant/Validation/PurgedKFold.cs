namespace AgentFirm.Quant.Validation;

/// <summary>
/// Purged k-fold cross-validation with an embargo (Lopez de Prado, Advances in Financial Machine Learning, 2018,
/// section 7.4): the observations are cut into k contiguous test folds without shuffling; for each fold the
/// training set drops every observation whose label window overlaps a test label window (purging) and the
/// ceil(embargo_fraction * T) observations that follow the fold's labels (embargo).
/// </summary>
public static class PurgedKFold
{
    public static IReadOnlyList<CvSplit> Split(IReadOnlyList<LabelWindow> windows, int folds, double embargoFraction)
    {
        Purging.Validate(windows);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "purged k-fold needs at least 2 folds");
        if (folds > windows.Count) throw new ArgumentOutOfRangeException(nameof(folds), folds, $"too few observations: {windows.Count} observations for {folds} folds");
        var embargo = Purging.EmbargoLength(windows.Count, embargoFraction);
        var splits = new List<CvSplit>(folds);
        foreach (var test in Combinatorics.ContiguousBlocks(windows.Count, folds))
            splits.Add(new CvSplit(Purging.TrainingIndices(windows, test, embargo), test));
        return splits;
    }
}
