namespace AgentFirm.Quant.Validation;

/// <summary>How the training window moves as walk-forward advances.</summary>
public enum TrainingWindowKind
{
    /// <summary>Every observation from the first up to the test block (less purge and embargo).</summary>
    Expanding,

    /// <summary>Only the last <see cref="WalkForwardOptions.RollingLength"/> observations before the test block.</summary>
    Rolling,
}

/// <summary>
/// Walk-forward settings, in observations. The model is first fitted when <see cref="InitialTraining"/>
/// observations precede the test, then refitted every <see cref="RetrainEvery"/> observations; each refit is
/// tested on the block up to the next refit.
/// </summary>
public sealed record WalkForwardOptions
{
    public required int InitialTraining { get; init; }
    public required int RetrainEvery { get; init; }
    public TrainingWindowKind Window { get; init; } = TrainingWindowKind.Expanding;

    /// <summary>Length of a rolling training window (required for <see cref="TrainingWindowKind.Rolling"/>).</summary>
    public int? RollingLength { get; init; }

    /// <summary>
    /// Gap of this many observations left out right before each test block, on top of purging: walk-forward
    /// trains on the past only, so the embargo (AFML 7.4.2) guards the one boundary there is, against
    /// serially correlated features leaking across it.
    /// </summary>
    public int Embargo { get; init; }

    public void Validate(int observations)
    {
        if (InitialTraining < 1) throw new ArgumentOutOfRangeException(nameof(InitialTraining), InitialTraining, "walk-forward needs at least one training observation");
        if (RetrainEvery < 1) throw new ArgumentOutOfRangeException(nameof(RetrainEvery), RetrainEvery, "the retraining interval must be at least 1");
        if (Embargo < 0) throw new ArgumentOutOfRangeException(nameof(Embargo), Embargo, "the embargo cannot be negative");
        if (Window == TrainingWindowKind.Rolling && RollingLength is not > 0)
            throw new ArgumentOutOfRangeException(nameof(RollingLength), RollingLength, "a rolling training window needs a positive length");
        if (InitialTraining >= observations)
            throw new ArgumentOutOfRangeException(nameof(InitialTraining), InitialTraining, $"too few observations: {observations} leave nothing to test after {InitialTraining} for training");
    }
}

/// <summary>One walk-forward step: refit at <see cref="RetrainAt"/> (the first test observation) on Train, test on Test.</summary>
public sealed record WalkForwardSplit(int Step, int RetrainAt, IReadOnlyList<int> Train, IReadOnlyList<int> Test);

/// <summary>
/// Walk-forward validation with periodic retraining (Pardo, The Evaluation and Optimization of Trading
/// Strategies, 2008; with purging and an embargo as in Lopez de Prado, AFML 2018, 7.4): test blocks
/// [s, s + R) for s = initial, initial + R, ... tile the rest of the sample; each is forecast by a model fitted
/// on observations before s (all of them, or the last L) whose label windows end before the block's first
/// label starts (purging: a label still open at s would use prices from the test period) and that do not
/// fall in the embargo gap just before s.
/// </summary>
public static class WalkForward
{
    public static IReadOnlyList<WalkForwardSplit> Split(IReadOnlyList<LabelWindow> windows, WalkForwardOptions options)
    {
        Purging.Validate(windows);
        ArgumentNullException.ThrowIfNull(options);
        var n = windows.Count;
        options.Validate(n);
        var splits = new List<WalkForwardSplit>();
        for (int start = options.InitialTraining, step = 0; start < n; start += options.RetrainEvery, step++)
        {
            var end = Math.Min(start + options.RetrainEvery, n);
            var test = Enumerable.Range(start, end - start).ToArray();
            var from = options.Window == TrainingWindowKind.Rolling ? Math.Max(0, start - options.RollingLength!.Value) : 0;
            var until = start - options.Embargo; // exclusive
            var firstTestLabel = int.MaxValue;
            var lastTestLabel = int.MinValue;
            foreach (var i in test)
            {
                firstTestLabel = Math.Min(firstTestLabel, windows[i].Start);
                lastTestLabel = Math.Max(lastTestLabel, windows[i].End);
            }
            var testSpan = new LabelWindow(firstTestLabel, lastTestLabel);
            var train = new List<int>(Math.Max(0, until - from));
            for (var i = from; i < until; i++)
                if (!windows[i].Overlaps(testSpan)) train.Add(i);
            splits.Add(new WalkForwardSplit(step, start, train, test));
        }
        return splits;
    }
}
