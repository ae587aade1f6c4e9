using AgentFirm.Core;

namespace AgentFirm.Market.Bars;

/// <summary>OHLCV of the bar being built: first price opens, extremes widen, last price closes, volume adds.</summary>
internal struct BarAccumulator
{
    public bool IsEmpty => Count == 0;
    public int Count;
    public DateTimeOffset First;
    public DateTimeOffset LastClose;
    public double Open, High, Low, Close, Volume;

    public void Add(DateTimeOffset time, DateTimeOffset closeTime, double open, double high, double low, double close, double volume)
    {
        if (Count == 0)
        {
            First = time;
            Open = open;
            High = high;
            Low = low;
        }
        else
        {
            if (high > High) High = high;
            if (low < Low) Low = low;
        }
        Close = close;
        Volume += volume;
        LastClose = closeTime;
        Count++;
    }

    public readonly Bar ToBar(DateTimeOffset time, TimeSpan duration) => new(time, duration, Open, High, Low, Close, Volume);

    public void Reset() => this = default;
}

/// <summary>UTC-aligned buckets: multiples of the timeframe since the Unix epoch; weeks start on Monday, as on exchanges.</summary>
internal static class TimeBuckets
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly long MondayTicks = new DateTime(1970, 1, 5, 0, 0, 0, DateTimeKind.Utc).Ticks;

    public static DateTimeOffset Start(DateTimeOffset time, Timeframe timeframe)
    {
        var step = timeframe.Duration.Ticks;
        var origin = step % TimeSpan.FromDays(7).Ticks == 0 ? MondayTicks : EpochTicks;
        var offset = time.UtcTicks - origin;
        var floor = offset >= 0 ? offset / step : (offset - step + 1) / step;
        return new DateTimeOffset(origin + floor * step, TimeSpan.Zero);
    }

    public static void RequirePositive(Timeframe timeframe)
    {
        if (timeframe.Duration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeframe), timeframe.Duration, "The timeframe must be positive.");
    }
}
