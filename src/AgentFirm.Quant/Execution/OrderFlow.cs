using AgentFirm.Core;
using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Execution;

/// <summary>A bar's volume split into buyer- and seller-initiated parts (base units).</summary>
public readonly record struct SignedVolume(double Buy, double Sell)
{
    public double Total => Buy + Sell;
    /// <summary>(buy - sell) / total in [-1, 1]; 0 for a bar without volume.</summary>
    public double Imbalance => Total > 0 ? (Buy - Sell) / Total : 0;
}

/// <summary>
/// Bulk volume classification (Easley, López de Prado, O'Hara, "Flow toxicity and liquidity in a high-frequency
/// world", Review of Financial Studies 25(5), 2012, and "The volume clock", 2012): with no trade signs, a bar's
/// volume is split by how large its price change was against the usual size of a change,
/// <c>buy = V x Z(dP / sigma_dP)</c>, <c>sell = V - buy</c>, Z the standard normal CDF. As of each bar sigma is the
/// standard deviation of the price changes of the last <see cref="Window"/> bars up to and including it (a fixed
/// sigma may be given instead); until two changes are known the split is even.
/// </summary>
public sealed class BulkVolumeClassifier(int window = 50, double? fixedSigma = null)
{
    public int Window { get; } = window >= 2 ? window : throw new ArgumentException($"Bulk volume classification needs a window of at least 2 bars, got {window}.");
    private readonly Queue<double> _changes = new();
    private double _sum, _sq;
    private double? _lastClose;

    public SignedVolume Classify(Bar bar)
    {
        var change = _lastClose is { } last ? bar.Close - last : double.NaN;
        _lastClose = bar.Close;
        if (double.IsNaN(change)) return new SignedVolume(bar.Volume / 2, bar.Volume / 2);
        _changes.Enqueue(change);
        _sum += change;
        _sq += change * change;
        if (_changes.Count > Window)
        {
            var old = _changes.Dequeue();
            _sum -= old;
            _sq -= old * old;
        }
        var sigma = fixedSigma ?? Sigma();
        var buyShare = sigma > 0 ? StandardNormal.Cdf(change / sigma) : change > 0 ? 1 : change < 0 ? 0 : 0.5;
        return new SignedVolume(bar.Volume * buyShare, bar.Volume * (1 - buyShare));
    }

    private double Sigma()
    {
        var n = _changes.Count;
        if (n < 2) return 0;
        var mean = _sum / n;
        return Math.Sqrt(Math.Max(0, (_sq - n * mean * mean) / (n - 1)));
    }

    /// <summary>Buy and sell volume from an exchange's taker-buy fraction (the share of volume bought by takers).</summary>
    public static SignedVolume FromTakerBuyFraction(double volume, double takerBuyFraction)
    {
        if (!(takerBuyFraction >= 0 && takerBuyFraction <= 1))
            throw new ArgumentException($"A taker-buy fraction must be in [0, 1], got {takerBuyFraction}.");
        return new SignedVolume(volume * takerBuyFraction, volume * (1 - takerBuyFraction));
    }
}

/// <summary>
/// Volume-synchronised probability of informed trading (Easley, López de Prado, O'Hara 2012, eq. 6): volume is
/// poured into buckets of exactly <see cref="BucketVolume"/> (a bar larger than the room left spills into the
/// next bucket, its buy and sell parts in proportion), and
/// <c>VPIN = sum over the last n buckets of |sell - buy| / (n x V)</c>.
/// The value is known once the bar that completes the n-th bucket has closed; until n buckets are full it is NaN.
/// </summary>
public sealed class VpinEstimator
{
    private readonly double[] _imbalance;
    private int _full;
    private double _sum;
    private double _buy, _sell;

    public VpinEstimator(double bucketVolume, int buckets = 50)
    {
        if (!(bucketVolume > 0) || !double.IsFinite(bucketVolume)) throw new ArgumentException($"VPIN needs a positive bucket volume, got {bucketVolume}.");
        if (buckets < 1) throw new ArgumentException($"VPIN needs at least one bucket, got {buckets}.");
        BucketVolume = bucketVolume;
        _imbalance = new double[buckets];
    }

    public double BucketVolume { get; }
    public int Buckets => _imbalance.Length;
    public int CompletedBuckets => _full;
    public double Value => _full >= _imbalance.Length ? _sum / (_imbalance.Length * BucketVolume) : double.NaN;

    /// <summary>Adds one bar's classified volume; returns VPIN as of the bar's close.</summary>
    public double Add(SignedVolume volume)
    {
        var total = volume.Total;
        if (!(total > 0)) return Value;
        var buyShare = volume.Buy / total;
        var left = total;
        while (left > 0)
        {
            var room = BucketVolume - (_buy + _sell);
            var take = Math.Min(room, left);
            _buy += take * buyShare;
            _sell += take * (1 - buyShare);
            left -= take;
            // Floating dust must not leave a bucket a hair short of full forever.
            if (_buy + _sell >= BucketVolume * (1 - 1e-12)) CloseBucket();
        }
        return Value;
    }

    private void CloseBucket()
    {
        var slot = _full % _imbalance.Length;
        if (_full >= _imbalance.Length) _sum -= _imbalance[slot];
        _imbalance[slot] = Math.Abs(_sell - _buy);
        _sum += _imbalance[slot];
        _full++;
        _buy = _sell = 0;
    }
}

/// <summary>
/// As-of order-flow features for a bar series: per bar, the signed volume, the order-flow imbalance over the last
/// <c>window</c> bars (sum of buy - sell over sum of volume) and VPIN. Value k uses bars 0..k only.
/// The bucket volume is a setting, not learned from the series, so no later bar can change an earlier value.
/// </summary>
public static class OrderFlowFeatures
{
    public sealed record Series(double[] Imbalance, double[] Vpin);

    public static Series Compute(IReadOnlyList<Bar> bars, double bucketVolume, int buckets = 50, int imbalanceWindow = 24,
        int sigmaWindow = 50, IReadOnlyList<double>? takerBuyFraction = null)
    {
        if (imbalanceWindow < 1) throw new ArgumentException($"The imbalance window must be at least 1 bar, got {imbalanceWindow}.");
        if (takerBuyFraction is not null && takerBuyFraction.Count != bars.Count)
            throw new ArgumentException($"Taker-buy fractions ({takerBuyFraction.Count}) must line up with the bars ({bars.Count}).");
        var bvc = new BulkVolumeClassifier(sigmaWindow);
        var vpin = new VpinEstimator(bucketVolume, buckets);
        var signed = new SignedVolume[bars.Count];
        var imbalance = new double[bars.Count];
        var values = new double[bars.Count];
        double net = 0, gross = 0;
        for (var k = 0; k < bars.Count; k++)
        {
            // The classifier sees every bar (its sigma window), even where the exchange's own split is used.
            var classified = bvc.Classify(bars[k]);
            signed[k] = takerBuyFraction is null ? classified : BulkVolumeClassifier.FromTakerBuyFraction(bars[k].Volume, takerBuyFraction[k]);
            net += signed[k].Buy - signed[k].Sell;
            gross += signed[k].Total;
            if (k >= imbalanceWindow)
            {
                net -= signed[k - imbalanceWindow].Buy - signed[k - imbalanceWindow].Sell;
                gross -= signed[k - imbalanceWindow].Total;
            }
            imbalance[k] = gross > 0 ? net / gross : 0;
            values[k] = vpin.Add(signed[k]);
        }
        return new Series(imbalance, values);
    }
}
