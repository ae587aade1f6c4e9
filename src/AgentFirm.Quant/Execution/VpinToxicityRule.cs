using AgentFirm.Core;

namespace AgentFirm.Quant.Execution;

/// <summary>What the toxicity rule read from a symbol's recent bars.</summary>
/// <param name="Percentile">Share of the window's VPIN values at or below the latest (its empirical CDF, as the paper uses it).</param>
public readonly record struct ToxicityReading(double Vpin, double Percentile, int Values, bool Toxic, string Reason);

/// <summary>
/// Shrinks new exposure while order flow is toxic. VPIN is computed from the recent bars with bulk volume
/// classification, buckets of <see cref="BucketShareOfDailyVolume"/> of the window's average daily volume (the
/// paper's 1/50) and <see cref="Buckets"/> buckets per value; flow is toxic when the latest VPIN sits at or above
/// <see cref="Threshold"/> of the window's own VPIN distribution (Easley, López de Prado, O'Hara 2012 flag
/// CDF(VPIN) above 0.9). Orders that add exposure are then scaled by <see cref="ExposureScale"/>; reductions pass.
/// Off by default.
/// </summary>
public sealed record VpinToxicityRule
{
    public bool Enabled { get; init; }
    public int Buckets { get; init; } = 50;
    public double BucketShareOfDailyVolume { get; init; } = 1.0 / 50;
    public int LookbackBars { get; init; } = 1_000;
    public int SigmaWindow { get; init; } = 50;
    public double Threshold { get; init; } = 0.9;
    public double ExposureScale { get; init; } = 0.5;
    /// <summary>Fewest VPIN values the window must give before the rule may call flow toxic.</summary>
    public int MinimumValues { get; init; } = 50;

    public void Validate()
    {
        if (Buckets < 1) throw new ArgumentException($"Toxicity: Buckets must be at least 1, got {Buckets}.");
        if (!(BucketShareOfDailyVolume > 0) || BucketShareOfDailyVolume > 1) throw new ArgumentException($"Toxicity: BucketShareOfDailyVolume must be in (0, 1], got {BucketShareOfDailyVolume}.");
        if (LookbackBars < 10) throw new ArgumentException($"Toxicity: LookbackBars must be at least 10, got {LookbackBars}.");
        if (SigmaWindow < 2) throw new ArgumentException($"Toxicity: SigmaWindow must be at least 2, got {SigmaWindow}.");
        if (!(Threshold > 0 && Threshold <= 1)) throw new ArgumentException($"Toxicity: Threshold must be in (0, 1], got {Threshold}.");
        if (!(ExposureScale >= 0 && ExposureScale <= 1)) throw new ArgumentException($"Toxicity: ExposureScale must be in [0, 1], got {ExposureScale}.");
        if (MinimumValues < 1) throw new ArgumentException($"Toxicity: MinimumValues must be at least 1, got {MinimumValues}.");
    }

    /// <summary>Reads toxicity from <paramref name="bars"/> (ascending, all closed by now; only the last <see cref="LookbackBars"/> are used).</summary>
    public ToxicityReading Read(IReadOnlyList<Bar> bars)
    {
        var from = Math.Max(0, bars.Count - LookbackBars);
        var n = bars.Count - from;
        if (n < 2) return new ToxicityReading(double.NaN, double.NaN, 0, false, "not enough bars for VPIN");
        double volume = 0;
        for (var k = from; k < bars.Count; k++) volume += bars[k].Volume;
        var span = bars[^1].CloseTime - bars[from].Time;
        var daily = volume / Math.Max(span.TotalDays, bars[from].Duration.TotalDays);
        if (!(daily > 0)) return new ToxicityReading(double.NaN, double.NaN, 0, false, "no volume in the window");
        var window = new ArraySegment<Bar>(bars as Bar[] ?? bars.ToArray(), from, n);
        var vpin = OrderFlowFeatures.Compute(window, daily * BucketShareOfDailyVolume, Buckets, imbalanceWindow: 1, SigmaWindow).Vpin;
        var latest = vpin[^1];
        int count = 0, below = 0;
        foreach (var v in vpin)
        {
            if (double.IsNaN(v)) continue;
            count++;
            if (v <= latest) below++;
        }
        if (double.IsNaN(latest) || count < MinimumValues)
            return new ToxicityReading(latest, double.NaN, count, false, $"only {count} VPIN values in the window (need {MinimumValues})");
        var percentile = (double)below / count;
        var toxic = percentile >= Threshold;
        return new ToxicityReading(latest, percentile, count, toxic,
            $"VPIN {latest:F3} at the {percentile:P0} point of its last {count} values ({(toxic ? "toxic" : "normal")}, threshold {Threshold:P0})");
    }
}
