using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Labels;

/// <summary>
/// Sample weights for overlapping labels (Lopez de Prado, Advances in Financial Machine Learning, 2018, sections
/// 4.3-4.4): c_t = the number of label windows [start, end] (both ends inclusive, as in snippet 4.1) that contain
/// bar t; label i's average uniqueness is the mean of 1 / c_t over its window (snippet 4.2).
/// </summary>
public static class SampleUniqueness
{
    /// <summary>Concurrency c_t for t = 0..bars-1.</summary>
    public static int[] Concurrency(IReadOnlyList<LabelWindow> windows, int bars)
    {
        ArgumentNullException.ThrowIfNull(windows);
        // Difference array: +1 at start, -1 after end, then a running sum.
        var delta = new int[bars + 1];
        foreach (var w in windows)
        {
            if (w.Start < 0 || w.End >= bars || w.End < w.Start)
                throw new ArgumentOutOfRangeException(nameof(windows), w, $"label window outside bars 0..{bars - 1}");
            delta[w.Start]++;
            delta[w.End + 1]--;
        }
        var count = new int[bars];
        var running = 0;
        for (var t = 0; t < bars; t++) count[t] = running += delta[t];
        return count;
    }

    /// <summary>Average uniqueness per label, in (0, 1]: 1 for a label that overlaps no other.</summary>
    public static double[] AverageUniqueness(IReadOnlyList<LabelWindow> windows, int bars)
    {
        var concurrency = Concurrency(windows, bars);
        // Prefix sums of 1/c_t make each label O(1).
        var prefix = new double[bars + 1];
        for (var t = 0; t < bars; t++) prefix[t + 1] = prefix[t] + (concurrency[t] > 0 ? 1.0 / concurrency[t] : 0);
        var weights = new double[windows.Count];
        for (var i = 0; i < weights.Length; i++)
        {
            var w = windows[i];
            weights[i] = (prefix[w.End + 1] - prefix[w.Start]) / (w.End - w.Start + 1);
        }
        return weights;
    }
}
