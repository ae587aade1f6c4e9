using AgentFirm.Core;

namespace AgentFirm.Market.Bars;

/// <summary>
/// Coarser time bars from finer ones (1h -> 4h or 1d), in UTC-aligned buckets. A bucket is emitted by the bar that
/// reaches its end, or, when the data miss the bucket's last bars, by the first bar of a later bucket. Buckets
/// with missing bars inside are kept (the exchange would still have printed that bar; our range is what we saw).
/// A trailing bucket whose end the data never reach is partial: <see cref="Aggregate"/> drops it, because a bar
/// labelled 1d that holds only the morning would claim a close it never had; <see cref="Partial"/> shows it.
/// </summary>
public sealed class TimeBarAggregator
{
    private BarAccumulator _bar;
    private DateTimeOffset _bucket;
    private bool _pendingClosed;
    private DateTimeOffset _lastClose = DateTimeOffset.MinValue;

    public TimeBarAggregator(Timeframe target)
    {
        TimeBuckets.RequirePositive(target);
        Target = target;
    }

    public Timeframe Target { get; }

    /// <summary>The bucket in progress, for display only; null when none is open.</summary>
    public Bar? Partial => _bar.IsEmpty || _pendingClosed ? null : _bar.ToBar(_bucket, Target.Duration);

    /// <summary>Adds a finer bar; returns the coarser bar this completed, or null.</summary>
    public Bar? Update(Bar bar)
    {
        var bucket = TimeBuckets.Start(bar.Time, Target);
        var end = bucket + Target.Duration;
        if (bar.Duration <= TimeSpan.Zero || bar.CloseTime > end)
            throw new ArgumentException(
                $"Bar at {bar.Time:O} lasting {bar.Duration} does not fit in one {Target} bucket ({bucket:O} to {end:O}); source bars must be finer and aligned.",
                nameof(bar));
        if (bar.Time < _lastClose)
            throw new ArgumentException($"Bar at {bar.Time:O} starts before the previous bar closed ({_lastClose:O}); bars must be ascending.", nameof(bar));
        _lastClose = bar.CloseTime;

        Bar? completed = null;
        if (!_bar.IsEmpty && bucket != _bucket)
        {
            completed = _bar.ToBar(_bucket, Target.Duration);
            _bar.Reset();
            _pendingClosed = false;
        }
        _bucket = bucket;
        _bar.Add(bar.Time, bar.CloseTime, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume);
        if (bar.CloseTime == end)
        {
            if (completed is null)
            {
                completed = _bar.ToBar(_bucket, Target.Duration);
                _bar.Reset();
            }
            else
            {
                // Two buckets finished at once (a gap at the end of the previous one): this one goes out next call or at Flush.
                _pendingClosed = true;
            }
        }
        return completed;
    }

    /// <summary>Returns a finished bucket still held back, if any. A partial bucket is not returned (see the class note).</summary>
    public Bar? Flush()
    {
        if (_bar.IsEmpty || !_pendingClosed) return null;
        var bar = _bar.ToBar(_bucket, Target.Duration);
        _bar.Reset();
        _pendingClosed = false;
        return bar;
    }

    /// <summary>Complete coarser bars; the partial trailing bucket, if any, is dropped.</summary>
    public static Bar[] Aggregate(IEnumerable<Bar> bars, Timeframe target)
    {
        var aggregator = new TimeBarAggregator(target);
        var result = new List<Bar>();
        foreach (var bar in bars)
            if (aggregator.Update(bar) is { } done) result.Add(done);
        if (aggregator.Flush() is { } last) result.Add(last);
        return result.ToArray();
    }
}
