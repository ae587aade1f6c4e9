namespace AgentFirm.Quant.Firm;

/// <summary>One confidence bin: how many resolved calls fell in it, their mean stated confidence and how often they were right.</summary>
public sealed record ReliabilityBin(double From, double To, int Calls, double MeanConfidence, double HitRate)
{
    /// <summary>|stated - observed|: 0 for a perfectly calibrated bin.</summary>
    public double Gap => Calls == 0 ? 0 : Math.Abs(MeanConfidence - HitRate);
}

/// <summary>
/// The reliability diagram of directional calls (Murphy &amp; Winkler 1977): calls binned by their stated
/// probability of being right in tenths, each bin's mean confidence against its observed hit rate, and
/// the Brier score (mean squared error of the stated probability, Brier 1950).
/// </summary>
public sealed class ReliabilityTable
{
    private const int Bins = 10;
    private readonly int[] _calls = new int[Bins];
    private readonly int[] _hits = new int[Bins];
    private readonly double[] _confidence = new double[Bins];
    private double _squaredError;

    public int Calls { get; private set; }

    public void Add(double confidence, bool right)
    {
        if (!double.IsFinite(confidence)) return;
        var c = Math.Clamp(confidence, 0, 1);
        var bin = Math.Min(Bins - 1, (int)(c * Bins));
        _calls[bin]++;
        if (right) _hits[bin]++;
        _confidence[bin] += c;
        var miss = (right ? 1 : 0) - c;
        _squaredError += miss * miss;
        Calls++;
    }

    /// <summary>Brier score of the resolved calls; 0.25 is what always saying 50% scores.</summary>
    public double Brier => Calls == 0 ? double.NaN : _squaredError / Calls;

    public IReadOnlyList<ReliabilityBin> Table()
    {
        var bins = new ReliabilityBin[Bins];
        for (var i = 0; i < Bins; i++)
            bins[i] = new ReliabilityBin(i / (double)Bins, (i + 1) / (double)Bins, _calls[i],
                _calls[i] == 0 ? double.NaN : _confidence[i] / _calls[i], _calls[i] == 0 ? double.NaN : _hits[i] / (double)_calls[i]);
        return bins;
    }
}
