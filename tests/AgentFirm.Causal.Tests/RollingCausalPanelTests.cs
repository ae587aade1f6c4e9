using AgentFirm.Causal;
using AgentFirm.Core;

namespace AgentFirm.Causal.Tests;

public sealed class RollingCausalPanelTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static (string, Bar) BarOf(string symbol, int day, double close, double volume) =>
        (symbol, new Bar(T0.AddDays(day), TimeSpan.FromDays(1), close, close, close, close, volume));

    [Fact]
    public void Returns_are_logs_of_consecutive_closes_and_unknown_steps_stay_masked()
    {
        var panel = new RollingCausalPanel();
        var none = new Dictionary<string, double>();
        panel.Record(T0.AddDays(1), [BarOf("BTC-USDT", 0, 100, 10)], none);
        Assert.Null(panel.For("BTC-USDT")); // one bar: no return yet
        panel.Record(T0.AddDays(2), [BarOf("BTC-USDT", 1, 110, 20)], new Dictionary<string, double> { ["BTC-USDT:mvrv"] = 1.5 });
        panel.Record(T0.AddDays(3), [BarOf("BTC-USDT", 2, 99, 0)], new Dictionary<string, double> { ["BTC-USDT:mvrv"] = 1.6 });

        var p = panel.For("BTC-USDT")!;
        Assert.Equal(3, p.Times.Count);
        Assert.True(double.IsNaN(p.Target[0]));
        Assert.Equal(Math.Log(1.1), p.Target[1], 1e-12);
        Assert.Equal(Math.Log(99.0 / 110), p.Target[2], 1e-12);
        var volume = p.Drivers.Single(d => d.Name == "BTC-USDT:volume_change").Values;
        Assert.Equal(Math.Log(2), volume[1], 1e-12);
        Assert.True(double.IsNaN(volume[2])); // zero volume: no log change, masked
        var mvrv = p.Drivers.Single(d => d.Name == "BTC-USDT:mvrv").Values;
        Assert.Equal([double.NaN, 1.5, 1.6], mvrv); // unknown before the series started
        p.Validate();
    }

    [Fact]
    public void An_assets_drivers_are_every_return_and_volume_change_its_own_the_hubs_and_market_wide_side_series()
    {
        var panel = new RollingCausalPanel();
        var series = new Dictionary<string, double> { ["BTC-USDT:mvrv"] = 2, ["ETH-USDT:mvrv"] = 3, ["SOL-USDT:mvrv"] = 4, ["fear_greed"] = 50 };
        for (var d = 0; d < 3; d++) panel.Record(T0.AddDays(d + 1), [BarOf("BTC-USDT", d, 100 + d, 10), BarOf("ETH-USDT", d, 10 + d, 5), BarOf("SOL-USDT", d, 1 + d, 5)], series);

        var names = panel.For("ETH-USDT")!.Drivers.Select(d => d.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["BTC-USDT:mvrv", "BTC-USDT:return", "BTC-USDT:volume_change", "ETH-USDT:mvrv", "ETH-USDT:volume_change", "SOL-USDT:return", "SOL-USDT:volume_change", "fear_greed"], names);
    }

    [Fact]
    public void Growing_levels_enter_as_log_changes_when_a_new_value_arrives()
    {
        var panel = new RollingCausalPanel();
        double[] hash = [100, 110, 110, 121, double.NaN, 130];
        for (var d = 0; d < hash.Length; d++)
            panel.Record(T0.AddDays(d + 1), [BarOf("BTC-USDT", d, 100, 10)], new Dictionary<string, double> { ["BTC-USDT:hash_rate"] = hash[d] });
        var drivers = panel.For("BTC-USDT")!.Drivers;
        Assert.DoesNotContain(drivers, d => d.Name == "BTC-USDT:hash_rate");
        var dlog = drivers.Single(d => d.Name == "BTC-USDT:hash_rate_dlog").Values;
        Assert.True(double.IsNaN(dlog[0])); // no earlier value
        Assert.Equal(Math.Log(1.1), dlog[1], 1e-12);
        Assert.True(double.IsNaN(dlog[2])); // the same point still standing
        Assert.Equal(Math.Log(1.1), dlog[3], 1e-12);
        Assert.True(double.IsNaN(dlog[4]) && double.IsNaN(dlog[5])); // a gap is not bridged
    }

    [Fact]
    public void Only_the_most_recent_steps_are_kept()
    {
        var panel = new RollingCausalPanel(capacity: 10);
        for (var d = 0; d < 25; d++) panel.Record(T0.AddDays(d + 1), [BarOf("BTC-USDT", d, 100 + d, 10)], new Dictionary<string, double>());
        Assert.InRange(panel.Count, 10, 20);
        Assert.Equal(T0.AddDays(25), panel.For("BTC-USDT")!.Times[^1]);
    }
}

public sealed class ScreenScheduleTests
{
    [Fact]
    public void Daily_bars_screen_every_fiftieth_of_the_window_and_hourly_bars_once_a_day()
    {
        var daily = new ScreenSchedule(window: 250);
        var dailyDue = Enumerable.Range(1, 20).Where(_ => daily.Due(TimeSpan.FromDays(1), unscreenedSymbol: false)).Count();
        Assert.Equal(4, dailyDue); // every 5 steps

        var hourly = new ScreenSchedule(window: 250);
        var hourlyDue = Enumerable.Range(1, 72).Where(_ => hourly.Due(TimeSpan.FromHours(1), unscreenedSymbol: false)).Count();
        Assert.Equal(3, hourlyDue); // every 24 steps
    }

    [Fact]
    public void A_symbol_never_screened_is_screened_at_once_and_restarts_the_count()
    {
        var schedule = new ScreenSchedule(window: 250);
        Assert.True(schedule.Due(TimeSpan.FromDays(1), unscreenedSymbol: true));
        Assert.False(schedule.Due(TimeSpan.FromDays(1), unscreenedSymbol: false));
        Assert.True(Enumerable.Range(0, 3).All(_ => !schedule.Due(TimeSpan.FromDays(1), unscreenedSymbol: false)));
        Assert.True(schedule.Due(TimeSpan.FromDays(1), unscreenedSymbol: false)); // the 5th step after the screen
    }
}
