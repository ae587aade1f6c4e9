namespace AgentFirm.Quant.Validation;

/// <summary>
/// The span of observations a label looks at, [Start, End] inclusive, in observation indices: observation i's
/// label starts at its own time t_i (Start = i) and is resolved at the observation with index End (AFML 7.4.1:
/// t_{i,0} and t_{i,1}). Map timestamps to indices before building windows.
/// </summary>
public readonly record struct LabelWindow(int Start, int End)
{
    public bool Overlaps(LabelWindow other) => Start <= other.End && other.Start <= End;

    /// <summary>Windows [i, i + horizon] for i = 0..count-1, the fixed-horizon labels.</summary>
    public static LabelWindow[] FixedHorizon(int count, int horizon)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "at least one observation is needed");
        if (horizon < 0) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "the horizon cannot be negative");
        var windows = new LabelWindow[count];
        for (var i = 0; i < count; i++) windows[i] = new LabelWindow(i, i + horizon);
        return windows;
    }
}

/// <summary>One cross-validation split: training and testing observation indices, both ascending.</summary>
public sealed record CvSplit(IReadOnlyList<int> Train, IReadOnlyList<int> Test);

/// <summary>
/// Purging and embargo shared by purged k-fold and CPCV (Lopez de Prado, Advances in Financial Machine Learning,
/// 2018, sections 7.4.1-7.4.2).
/// </summary>
public static class Purging
{
    /// <summary>Embargo length h = ceil(fraction * T) observations (AFML 7.4.2 suggests h of about 0.01 T).</summary>
    public static int EmbargoLength(int observations, double embargoFraction)
    {
        if (!(embargoFraction >= 0 && embargoFraction < 1)) throw new ArgumentOutOfRangeException(nameof(embargoFraction), embargoFraction, "the embargo fraction must lie in [0, 1)");
        // Round away binary noise first so that 0.01 * 100 is 1, not 2.
        return (int)Math.Ceiling(Math.Round(embargoFraction * observations, 9));
    }

    /// <summary>
    /// Training indices for the given test indices: every observation not tested whose label window overlaps no
    /// test label window (purging, AFML 7.4.1), and that does not start within the embargo that follows each
    /// contiguous test block (AFML 7.4.2: after a test block whose labels end at t_{j,1}, training observations
    /// with t_{j,1} &lt; t_{i,0} &lt;= t_{j,1} + h are dropped). Because observation starts are increasing, this is
    /// at least the h observations right after each test block.
    /// </summary>
    public static int[] TrainingIndices(IReadOnlyList<LabelWindow> windows, IReadOnlyCollection<int> testIndices, int embargo)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(testIndices);
        if (embargo < 0) throw new ArgumentOutOfRangeException(nameof(embargo), embargo, "the embargo cannot be negative");
        Validate(windows);
        var isTest = new bool[windows.Count];
        foreach (var i in testIndices)
        {
            if (i < 0 || i >= windows.Count) throw new ArgumentOutOfRangeException(nameof(testIndices), i, $"test index outside 0..{windows.Count - 1}");
            isTest[i] = true;
        }

        // Merge the test label windows into disjoint intervals; record each block's embargo zone.
        var test = testIndices.OrderBy(i => i).ToArray();
        var merged = new List<(int Start, int End)>();
        var embargoZones = new List<(int After, int Until)>();
        var blockEnd = int.MinValue;
        for (var k = 0; k < test.Length; k++)
        {
            var w = windows[test[k]];
            if (merged.Count > 0 && w.Start <= merged[^1].End) merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, w.End));
            else merged.Add((w.Start, w.End));
            blockEnd = Math.Max(blockEnd, w.End);
            var lastOfBlock = k == test.Length - 1 || test[k + 1] != test[k] + 1;
            if (lastOfBlock)
            {
                // The embargo starts after the block's last label end and after the block itself.
                var after = Math.Max(blockEnd, windows[test[k]].Start);
                var indexAfter = Math.Max(test[k], LastIndexStartingAtOrBefore(windows, after));
                embargoZones.Add((indexAfter, indexAfter + embargo));
                blockEnd = int.MinValue;
            }
        }

        var train = new List<int>();
        for (var i = 0; i < windows.Count; i++)
        {
            if (isTest[i]) continue;
            if (OverlapsAny(merged, windows[i])) continue;
            var embargoed = false;
            foreach (var (after, until) in embargoZones)
                if (i > after && i <= until) { embargoed = true; break; }
            if (!embargoed) train.Add(i);
        }
        return train.ToArray();
    }

    private static int LastIndexStartingAtOrBefore(IReadOnlyList<LabelWindow> windows, int time)
    {
        int lo = 0, hi = windows.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (windows[mid].Start <= time) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }

    private static bool OverlapsAny(List<(int Start, int End)> intervals, LabelWindow w)
    {
        int lo = 0, hi = intervals.Count - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var (s, e) = intervals[mid];
            if (e < w.Start) lo = mid + 1;
            else if (s > w.End) hi = mid - 1;
            else return true;
        }
        return false;
    }

    internal static void Validate(IReadOnlyList<LabelWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].End < windows[i].Start) throw new ArgumentException($"label window {i} ends before it starts", nameof(windows));
            if (i > 0 && windows[i].Start < windows[i - 1].Start) throw new ArgumentException($"observations must be sorted by start: window {i} starts before window {i - 1}", nameof(windows));
        }
    }
}
