using AgentFirm.Core;

namespace AgentFirm.Quant.OnChain;

/// <summary>Settings of the derived on-chain metrics. Windows are calendar spans ending at the row (inclusive).</summary>
/// <param name="MvrvZMinValues">Market-cap values the expanding deviation needs before an MVRV Z-score is given.</param>
/// <param name="NetflowWindowDays">Days averaged for the exchange-netflow mean (7 = the usual weekly mean).</param>
/// <param name="SoprWindowDays">Days averaged for the SOPR means (smooths the daily noise of spent outputs).</param>
/// <param name="ActiveAddressGrowthDays">Active-address growth is ln(A_t / A_(t - this many days)).</param>
/// <param name="HashShortDays">Short moving average of the hash ribbon (Edwards 2019: 30 days).</param>
/// <param name="HashLongDays">Long moving average of the hash ribbon (Edwards 2019: 60 days).</param>
/// <param name="MinCoverage">Fraction of a window's expected rows that must be present for its mean.</param>
/// <param name="NetflowMinValues">When set, the netflow mean needs this many values instead of <paramref name="MinCoverage"/>'s share.</param>
public sealed record OnChainMetricOptions(
    int MvrvZMinValues = 60,
    int NetflowWindowDays = 7,
    int SoprWindowDays = 7,
    int ActiveAddressGrowthDays = 7,
    int HashShortDays = 30,
    int HashLongDays = 60,
    double MinCoverage = 0.5,
    int? NetflowMinValues = null)
{
    public static OnChainMetricOptions Default { get; } = new();

    public void Validate()
    {
        if (MvrvZMinValues < 2) throw new BadInputException($"MVRV Z needs at least 2 values, got {MvrvZMinValues}.");
        foreach (var (name, days) in new[] { ("netflow", NetflowWindowDays), ("SOPR", SoprWindowDays), ("active-address growth", ActiveAddressGrowthDays), ("short hash", HashShortDays), ("long hash", HashLongDays) })
            if (days < 1) throw new BadInputException($"The {name} window must be at least 1 day, got {days}.");
        if (HashShortDays >= HashLongDays) throw new BadInputException($"The short hash-rate average ({HashShortDays} days) must be shorter than the long one ({HashLongDays}).");
        if (!(MinCoverage > 0 && MinCoverage <= 1)) throw new BadInputException($"Window coverage must be in (0, 1], got {MinCoverage}.");
    }
}

/// <summary>
/// The derived metrics of one row, each computed from that row and earlier ones only (as-of: appending later
/// rows never changes it). Null = an input is missing or a window/statistic is not yet filled.
/// </summary>
/// <param name="MvrvZ">(market cap - realised cap) / sample standard deviation of market cap over all rows so far.</param>
/// <param name="HashRibbon">Short / long moving average of hash rate; below 1 = miners capitulating.</param>
/// <param name="HashRecovery">True on the row where the ribbon crosses back to >= 1 after being below (the hash-ribbon buy signal).</param>
public readonly record struct OnChainMetricRow(
    DateTimeOffset Time,
    DateTimeOffset KnownAt,
    double? Mvrv,
    double? MvrvZ,
    double? Sopr,
    double? SoprMean,
    double? SthSopr,
    double? SthSoprMean,
    double? Netflow,
    double? NetflowMean,
    int NetflowCount,
    double? StablecoinSupplyRatio,
    double? ActiveAddressGrowth,
    double? HashRateShortMean,
    double? HashRateLongMean,
    double? HashRibbon,
    bool HashRecovery);

/// <summary>
/// Computes the derived on-chain metrics row by row. Every statistic is past-only: the MVRV Z-score divides by
/// the expanding standard deviation of market cap (all rows up to and including this one), which is Glassnode's
/// own definition ("the standard deviation is computed cumulatively from the first available data point to the
/// present day", https://studio.glassnode.com/charts/market.MvrvZScore; formula in
/// https://academy.glassnode.com/market/mvrv/mvrv-z-score). A full-history deviation, as some charts draw it,
/// would leak the future into every past value; the expanding one cannot. Moving windows are calendar spans
/// (t - days, t]. Not thread-safe.
/// </summary>
public sealed class OnChainMetricsBuilder
{
    private readonly OnChainMetricOptions _options;
    private readonly TimeWindowMean _netflow, _sopr, _sthSopr, _hashShort, _hashLong;
    private readonly Dictionary<DateTimeOffset, double> _active = [];
    private double _mcMean, _mcM2;
    private long _mcCount;
    private double? _lastRibbon;
    private DateTimeOffset? _lastTime;

    public OnChainMetricsBuilder(OnChainMetricOptions? options = null)
    {
        _options = options ?? OnChainMetricOptions.Default;
        _options.Validate();
        _netflow = new TimeWindowMean(TimeSpan.FromDays(_options.NetflowWindowDays));
        _sopr = new TimeWindowMean(TimeSpan.FromDays(_options.SoprWindowDays));
        _sthSopr = new TimeWindowMean(TimeSpan.FromDays(_options.SoprWindowDays));
        _hashShort = new TimeWindowMean(TimeSpan.FromDays(_options.HashShortDays));
        _hashLong = new TimeWindowMean(TimeSpan.FromDays(_options.HashLongDays));
    }

    /// <summary>Adds the next row (strictly later than the previous one) and returns its metrics.</summary>
    public OnChainMetricRow Add(OnChainObservation o)
    {
        if (_lastTime is { } last && o.Time <= last)
            throw new ArgumentException($"On-chain rows must be strictly ascending; {o.Time:O} follows {last:O}.");
        _lastTime = o.Time;
        var period = o.KnownAt > o.Time ? o.KnownAt - o.Time : TimeSpan.FromDays(1);
        int MinValues(int days) => Math.Max(1, (int)Math.Ceiling(_options.MinCoverage * TimeSpan.FromDays(days) / period));

        var realised = o.RealisedCap ?? (o.MarketCap is { } m0 && o.Mvrv is { } r0 ? m0 / r0 : null);
        var mvrv = o.Mvrv ?? (o.MarketCap is { } m1 && realised is { } rc1 ? m1 / rc1 : null);
        double? mvrvZ = null;
        if (o.MarketCap is { } mc)
        {
            _mcCount++;
            var delta = mc - _mcMean;
            _mcMean += delta / _mcCount;
            _mcM2 += delta * (mc - _mcMean);
            var sd = _mcCount > 1 ? Math.Sqrt(_mcM2 / (_mcCount - 1)) : 0;
            if (realised is { } rc && _mcCount >= _options.MvrvZMinValues && sd > 0) mvrvZ = (mc - rc) / sd;
        }

        var netflowMean = _netflow.Add(o.Time, o.ExchangeNetflow, _options.NetflowMinValues ?? MinValues(_options.NetflowWindowDays));
        var soprMean = _sopr.Add(o.Time, o.Sopr, MinValues(_options.SoprWindowDays));
        var sthMean = _sthSopr.Add(o.Time, o.SthSopr, MinValues(_options.SoprWindowDays));
        var hashShort = _hashShort.Add(o.Time, o.HashRate, MinValues(_options.HashShortDays));
        var hashLong = _hashLong.Add(o.Time, o.HashRate, MinValues(_options.HashLongDays));
        double? ribbon = hashShort is { } hs && hashLong is { } hl && hl > 0 ? hs / hl : null;
        var recovery = ribbon >= 1 && _lastRibbon < 1;
        if (ribbon is not null) _lastRibbon = ribbon;

        double? growth = null;
        if (o.ActiveAddresses is { } a)
        {
            _active[o.Time] = a;
            if (a > 0 && _active.TryGetValue(o.Time - TimeSpan.FromDays(_options.ActiveAddressGrowthDays), out var before) && before > 0)
                growth = Math.Log(a / before);
        }

        double? ssr = o.MarketCap is { } cap && o.StablecoinSupply is { } supply && supply > 0 ? cap / supply : null;
        return new OnChainMetricRow(o.Time, o.KnownAt, mvrv, mvrvZ, o.Sopr, soprMean, o.SthSopr, sthMean, o.ExchangeNetflow, netflowMean, _netflow.Count,
            ssr, growth, hashShort, hashLong, ribbon, recovery);
    }

    /// <summary>Mean of the values in (t - span, t]; missing values count as absent, never as zero.</summary>
    private sealed class TimeWindowMean(TimeSpan span)
    {
        private readonly Queue<(DateTimeOffset Time, double Value)> _items = new();
        private double _sum;

        /// <summary>Values in the window after the latest <see cref="Add"/>.</summary>
        public int Count => _items.Count;

        public double? Add(DateTimeOffset time, double? value, int minValues)
        {
            if (value is { } v)
            {
                _items.Enqueue((time, v));
                _sum += v;
            }
            while (_items.Count > 0 && _items.Peek().Time <= time - span) _sum -= _items.Dequeue().Value;
            if (_items.Count == 0) _sum = 0; // drop accumulated rounding when the window empties
            return _items.Count >= minValues ? _sum / _items.Count : null;
        }
    }
}

public static class OnChainMetrics
{
    /// <summary>The metrics of every row of an ascending series; row i depends on rows 0..i only.</summary>
    public static IReadOnlyList<OnChainMetricRow> Compute(IReadOnlyList<OnChainObservation> rows, OnChainMetricOptions? options = null)
    {
        var builder = new OnChainMetricsBuilder(options);
        var result = new OnChainMetricRow[rows.Count];
        for (var i = 0; i < rows.Count; i++) result[i] = builder.Add(rows[i]);
        return result;
    }
}
