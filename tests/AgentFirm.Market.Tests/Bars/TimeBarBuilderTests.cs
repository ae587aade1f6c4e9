using AgentFirm.Core;
using AgentFirm.Market.Bars;

namespace AgentFirm.Market.Tests.Bars;

public sealed class TimeBarBuilderTests
{
    private static readonly DateTimeOffset Day = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero); // a Monday
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static Trade T(int hour, int minute, double price, double quantity) =>
        new(Day.AddHours(hour).AddMinutes(minute), price, quantity, OrderSide.Buy);

    private static readonly Trade[] Tape =
    [
        T(10, 5, 100, 1), T(10, 30, 105, 2), T(10, 59, 99, 1), // 10:00 bucket
        T(11, 10, 101, 3),                                      // 11:00 bucket
        T(13, 0, 102, 1),                                       // 13:00 bucket (12:00 had no trades)
    ];

    [Fact]
    public void Completes_a_bucket_when_the_first_trade_of_a_later_bucket_arrives()
    {
        var builder = new TimeBarBuilder(Timeframe.Hour);
        Assert.Null(builder.Update(Tape[0]));
        Assert.Null(builder.Update(Tape[1]));
        Assert.Null(builder.Update(Tape[2]));
        Assert.Equal(new Bar(Day.AddHours(10), Hour, 100, 105, 99, 99, 4), builder.Update(Tape[3]));
        Assert.Equal(new Bar(Day.AddHours(11), Hour, 101, 101, 101, 101, 3), builder.Update(Tape[4]));
        Assert.Equal(new Bar(Day.AddHours(13), Hour, 102, 102, 102, 102, 1), builder.Partial);
    }

    [Fact]
    public void Batch_drops_the_open_trailing_bucket_and_skips_empty_buckets()
    {
        var bars = TimeBarBuilder.Build(Tape, Timeframe.Hour);
        Assert.Equal([Day.AddHours(10), Day.AddHours(11)], bars.Select(b => b.Time));
    }

    [Fact]
    public void Batch_keeps_the_trailing_bucket_once_the_tape_is_complete_past_its_end()
    {
        Assert.Equal(2, TimeBarBuilder.Build(Tape, Timeframe.Hour, tapeCompleteUntil: Day.AddHours(13).AddMinutes(59)).Length);
        var bars = TimeBarBuilder.Build(Tape, Timeframe.Hour, tapeCompleteUntil: Day.AddHours(14));
        Assert.Equal(new Bar(Day.AddHours(13), Hour, 102, 102, 102, 102, 1), bars[^1]);
    }

    [Fact]
    public void Aligns_daily_buckets_to_UTC_midnight_and_weekly_to_Monday()
    {
        var daily = TimeBarBuilder.Build([T(1, 0, 10, 1), T(23, 59, 12, 1), T(24, 0, 11, 1)], Timeframe.Day);
        Assert.Equal(new Bar(Day, TimeSpan.FromDays(1), 10, 12, 10, 12, 2), Assert.Single(daily));

        var week = Timeframe.Parse("1w");
        var builder = new TimeBarBuilder(week);
        builder.Update(T(24 * 2 + 5, 0, 50, 1)); // Wednesday 2024-01-03
        Assert.Equal(Day, builder.Partial!.Value.Time);
    }

    [Fact]
    public void Rejects_trades_out_of_time_order()
    {
        var builder = new TimeBarBuilder(Timeframe.Hour);
        builder.Update(T(10, 30, 100, 1));
        Assert.Throws<ArgumentException>(() => builder.Update(T(10, 29, 100, 1)));
    }

    [Fact]
    public void Rejects_non_positive_prices_and_quantities()
    {
        var builder = new TimeBarBuilder(Timeframe.Hour);
        Assert.Throws<ArgumentException>(() => builder.Update(T(10, 0, 0, 1)));
        Assert.Throws<ArgumentException>(() => builder.Update(T(10, 0, 100, -1)));
    }
}
