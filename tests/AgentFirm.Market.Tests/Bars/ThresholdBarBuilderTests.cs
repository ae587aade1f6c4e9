using AgentFirm.Core;
using AgentFirm.Market.Bars;

namespace AgentFirm.Market.Tests.Bars;

public sealed class ThresholdBarBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Trade T(int second, double price, double quantity) => new(T0.AddSeconds(second), price, quantity, OrderSide.Sell);

    [Fact]
    public void Volume_bar_closes_on_the_trade_that_reaches_the_threshold()
    {
        var builder = ThresholdBarBuilder.Volume(10);
        Assert.Null(builder.Update(T(0, 100, 4)));
        Assert.Null(builder.Update(T(5, 103, 5)));
        Assert.Equal(9, builder.Accumulated);
        // 4 + 5 + 3 = 12 >= 10: the crossing trade belongs to the bar, not split.
        Assert.Equal(new Bar(T0, TimeSpan.FromSeconds(9), 100, 103, 98, 98, 12), builder.Update(T(9, 98, 3)));
        Assert.Equal(0, builder.Accumulated);
        // One trade at least the threshold is a bar of its own, lasting no time.
        Assert.Equal(new Bar(T0.AddSeconds(20), TimeSpan.Zero, 99, 99, 99, 99, 10), builder.Update(T(20, 99, 10)));
    }

    [Fact]
    public void Dollar_bar_counts_quote_value()
    {
        Trade[] trades = [T(0, 100, 4), T(1, 110, 5), T(2, 90, 1), T(3, 95, 2)]; // 400 + 550 + 90 = 1040, then 190
        var bars = ThresholdBarBuilder.FromTrades(trades, ActivityMeasure.Dollar, 1000);
        Assert.Equal([new Bar(T0, TimeSpan.FromSeconds(2), 100, 110, 90, 90, 10)], bars);
    }

    [Fact]
    public void Batch_drops_the_unfinished_tail_which_Flush_returns()
    {
        Trade[] trades = [T(0, 100, 6), T(1, 101, 6), T(2, 102, 2)];
        Assert.Single(ThresholdBarBuilder.FromTrades(trades, ActivityMeasure.Volume, 10));

        var builder = ThresholdBarBuilder.Volume(10);
        foreach (var trade in trades) builder.Update(trade);
        Assert.Equal(new Bar(T0.AddSeconds(2), TimeSpan.Zero, 102, 102, 102, 102, 2), builder.Flush());
        Assert.Null(builder.Flush());
    }

    [Fact]
    public void Approximates_volume_bars_from_finer_bars_as_whole_lumps()
    {
        var hour = TimeSpan.FromHours(1);
        Bar[] hourly =
        [
            new(T0, hour, 10, 12, 9, 11, 3), new(T0.AddHours(1), hour, 11, 13, 10, 12, 4),
            new(T0.AddHours(2), hour, 12, 12, 8, 9, 5), new(T0.AddHours(3), hour, 9, 10, 9, 10, 1),
        ];
        var bars = ThresholdBarBuilder.FromBars(hourly, ActivityMeasure.Volume, 7);
        // 3 + 4 = 7 closes the first bar; 5 + 1 = 6 stays below the threshold and is dropped.
        Assert.Equal([new Bar(T0, TimeSpan.FromHours(2), 10, 13, 9, 12, 7)], bars);
    }

    [Fact]
    public void Approximates_dollar_bars_from_finer_bars_with_typical_price()
    {
        var hour = TimeSpan.FromHours(1);
        Bar[] hourly = [new(T0, hour, 10, 12, 9, 12, 10), new(T0.AddHours(1), hour, 12, 12, 12, 12, 5)]; // 110 + 60
        Assert.Empty(ThresholdBarBuilder.FromBars(hourly[..1], ActivityMeasure.Dollar, 111));
        Assert.Equal([new Bar(T0, TimeSpan.FromHours(2), 10, 12, 9, 12, 15)], ThresholdBarBuilder.FromBars(hourly, ActivityMeasure.Dollar, 170));
    }

    [Fact]
    public void Refuses_to_mix_trades_and_bars_or_a_non_positive_threshold()
    {
        var builder = ThresholdBarBuilder.Volume(10);
        builder.Update(T(0, 100, 1));
        Assert.Throws<InvalidOperationException>(() => builder.Update(new Bar(T0, TimeSpan.FromHours(1), 1, 1, 1, 1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ThresholdBarBuilder.Dollar(0));
    }
}
