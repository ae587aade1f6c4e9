using AgentFirm.Core;
using AgentFirm.Market.Bars;

namespace AgentFirm.Market.Tests.Bars;

public sealed class TimeBarAggregatorTests
{
    private static readonly DateTimeOffset Day = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan FourHours = TimeSpan.FromHours(4);

    private static Bar H(int hour, double open, double high, double low, double close, double volume) =>
        new(Day.AddHours(hour), Hour, open, high, low, close, volume);

    private static readonly Bar[] EightHours =
    [
        H(0, 10, 12, 9, 11, 1), H(1, 11, 15, 10, 14, 2), H(2, 14, 14, 8, 9, 3), H(3, 9, 10, 9, 10, 4),
        H(4, 10, 11, 10, 11, 5), H(5, 11, 11, 7, 8, 6), H(6, 8, 9, 8, 9, 7), H(7, 9, 13, 9, 12, 8),
    ];

    [Fact]
    public void Aggregates_hourly_bars_into_4h_bars_by_hand()
    {
        var bars = TimeBarAggregator.Aggregate(EightHours, Timeframe.FourHours);
        Assert.Equal(
            [new Bar(Day, FourHours, 10, 15, 8, 10, 10), new Bar(Day.AddHours(4), FourHours, 10, 13, 7, 12, 26)],
            bars);
    }

    [Fact]
    public void Emits_a_bucket_as_soon_as_its_last_bar_arrives()
    {
        var aggregator = new TimeBarAggregator(Timeframe.FourHours);
        Assert.Null(aggregator.Update(EightHours[0]));
        Assert.Null(aggregator.Update(EightHours[1]));
        Assert.Null(aggregator.Update(EightHours[2]));
        Assert.Equal(new Bar(Day, FourHours, 10, 15, 8, 10, 10), aggregator.Update(EightHours[3]));
        Assert.Null(aggregator.Partial);
    }

    [Fact]
    public void Drops_a_partial_trailing_bucket_but_shows_it_as_Partial()
    {
        var bars = TimeBarAggregator.Aggregate(EightHours[..6], Timeframe.FourHours);
        Assert.Equal([Day], bars.Select(b => b.Time));

        var aggregator = new TimeBarAggregator(Timeframe.FourHours);
        foreach (var bar in EightHours[..6]) aggregator.Update(bar);
        Assert.Equal(new Bar(Day.AddHours(4), FourHours, 10, 11, 7, 8, 11), aggregator.Partial);
        Assert.Null(aggregator.Flush());
    }

    [Fact]
    public void Keeps_a_bucket_with_missing_bars_and_emits_it_when_a_later_bucket_starts()
    {
        var aggregator = new TimeBarAggregator(Timeframe.FourHours);
        aggregator.Update(EightHours[0]);
        aggregator.Update(EightHours[1]);
        // 02:00 and 03:00 missing; 07:00 both ends the first bucket and closes its own.
        Assert.Equal(new Bar(Day, FourHours, 10, 15, 9, 14, 3), aggregator.Update(EightHours[7]));
        Assert.Equal(new Bar(Day.AddHours(4), FourHours, 9, 13, 9, 12, 8), aggregator.Flush());
        Assert.Null(aggregator.Flush());
    }

    [Fact]
    public void Aggregates_to_daily_bars_on_UTC_days()
    {
        var hours = Enumerable.Range(0, 48).Select(h => H(h, 100 + h, 100.5 + h, 99.5 + h, 100 + h, 1)).ToArray();
        var days = TimeBarAggregator.Aggregate(hours, Timeframe.Day);
        Assert.Equal(
            [new Bar(Day, TimeSpan.FromDays(1), 100, 123.5, 99.5, 123, 24), new Bar(Day.AddDays(1), TimeSpan.FromDays(1), 124, 147.5, 123.5, 147, 24)],
            days);
    }

    [Fact]
    public void Rejects_bars_coarser_than_or_straddling_the_target_bucket()
    {
        var aggregator = new TimeBarAggregator(Timeframe.FourHours);
        Assert.Throws<ArgumentException>(() => aggregator.Update(new Bar(Day.AddHours(3), TimeSpan.FromHours(2), 1, 1, 1, 1, 1)));
        Assert.Throws<ArgumentException>(() => aggregator.Update(new Bar(Day, TimeSpan.FromDays(1), 1, 1, 1, 1, 1)));
    }

    [Fact]
    public void Rejects_bars_out_of_order()
    {
        var aggregator = new TimeBarAggregator(Timeframe.FourHours);
        aggregator.Update(EightHours[2]);
        Assert.Throws<ArgumentException>(() => aggregator.Update(EightHours[1]));
    }
}
