using AgentFirm.Core;

namespace AgentFirm.Market.Bars;

/// <summary>
/// Time bars from trades, in UTC-aligned buckets (1h bars open on the hour, 1d bars at 00:00 UTC, 1w on Monday).
/// A bucket completes when the first trade of a later bucket arrives; buckets without trades produce no bar
/// (apply a gap policy downstream if you need one). The bucket in progress is never final: more trades may
/// still come, so it is only returned by <see cref="Flush"/> once the caller vouches the tape is complete past its end.
/// </summary>
public sealed class TimeBarBuilder
{
    private BarAccumulator _bar;
    private DateTimeOffset _bucket;
    private DateTimeOffset _lastTrade = DateTimeOffset.MinValue;

    public TimeBarBuilder(Timeframe timeframe)
    {
        TimeBuckets.RequirePositive(timeframe);
        Timeframe = timeframe;
    }

    public Timeframe Timeframe { get; }

    /// <summary>The bucket in progress, for display only: it is not a finished bar.</summary>
    public Bar? Partial => _bar.IsEmpty ? null : _bar.ToBar(_bucket, Timeframe.Duration);

    /// <summary>Adds a trade; returns the bar it completed (the previous bucket), or null.</summary>
    public Bar? Update(Trade trade)
    {
        TradeRules.Check(trade, ref _lastTrade);
        var bucket = TimeBuckets.Start(trade.Time, Timeframe);
        Bar? completed = null;
        if (!_bar.IsEmpty && bucket != _bucket)
        {
            completed = _bar.ToBar(_bucket, Timeframe.Duration);
            _bar.Reset();
        }
        _bucket = bucket;
        _bar.Add(trade.Time, trade.Time, trade.Price, trade.Price, trade.Price, trade.Price, trade.Quantity);
        return completed;
    }

    /// <summary>
    /// Returns the bucket in progress when <paramref name="tapeCompleteUntil"/> reaches its end (no more trades can
    /// fall in it), and starts afresh; otherwise null and the bucket stays open.
    /// </summary>
    public Bar? Flush(DateTimeOffset tapeCompleteUntil)
    {
        if (_bar.IsEmpty || tapeCompleteUntil < _bucket + Timeframe.Duration) return null;
        var bar = _bar.ToBar(_bucket, Timeframe.Duration);
        _bar.Reset();
        return bar;
    }

    /// <summary>
    /// All completed time bars. The trailing bucket is dropped unless <paramref name="tapeCompleteUntil"/> says the
    /// trades cover it to its end: a partial bar labelled with a full duration would misstate what was known when.
    /// </summary>
    public static Bar[] Build(IEnumerable<Trade> trades, Timeframe timeframe, DateTimeOffset? tapeCompleteUntil = null)
    {
        var builder = new TimeBarBuilder(timeframe);
        var bars = new List<Bar>();
        foreach (var trade in trades)
            if (builder.Update(trade) is { } bar) bars.Add(bar);
        if (tapeCompleteUntil is { } until && builder.Flush(until) is { } last) bars.Add(last);
        return bars.ToArray();
    }
}

internal static class TradeRules
{
    public static void Check(in Trade trade, ref DateTimeOffset lastTime)
    {
        if (!(trade.Price > 0) || !double.IsFinite(trade.Price))
            throw new ArgumentException($"Trade at {trade.Time:O}: price must be positive and finite, got {trade.Price}.", nameof(trade));
        if (!(trade.Quantity > 0) || !double.IsFinite(trade.Quantity))
            throw new ArgumentException($"Trade at {trade.Time:O}: quantity must be positive and finite, got {trade.Quantity}.", nameof(trade));
        if (trade.Time < lastTime)
            throw new ArgumentException($"Trade at {trade.Time:O} comes before the previous trade at {lastTime:O}; trades must be in time order.", nameof(trade));
        lastTime = trade.Time;
    }
}
