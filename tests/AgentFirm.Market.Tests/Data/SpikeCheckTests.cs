using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;

namespace AgentFirm.Market.Tests.Data;

public sealed class SpikeCheckTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>30 hourly bars wiggling about 1% around <paramref name="level"/>; <paramref name="edit"/> may change any.</summary>
    private string Series(Func<int, double, (double O, double H, double L, double C)>? edit = null)
    {
        var lines = new List<string> { CsvFiles.Header };
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 30; i++)
        {
            var c = 100 * (1 + 0.01 * ((i * 5 % 7) - 3) / 3.0);
            var bar = (O: c, H: c * 1.004, L: c * 0.996, C: c);
            if (edit is not null) bar = edit(i, c);
            lines.Add($"{CsvFormat.Timestamp(t.AddHours(i))},{bar.O:R},{bar.H:R},{bar.L:R},{bar.C:R},1");
        }
        return CsvFiles.Write(_folder, "SPIKE-USDT.csv", [.. lines]);
    }

    [Fact]
    public void Quiet_series_has_no_warnings()
    {
        Assert.Empty(BarLoader.Load(Series(), new LoadOptions()).Report.Warnings);
    }

    [Fact]
    public void Warns_about_a_lone_bad_high_without_throwing()
    {
        var path = Series((i, c) => i == 12 ? (c, 300, c * 0.996, c) : (c, c * 1.004, c * 0.996, c));
        var series = BarLoader.Load(path, new LoadOptions());

        var warning = Assert.Single(series.Report.Warnings);
        Assert.Equal((14L, "high"), (warning.Row, warning.Field)); // bar 12 is on line 14
        Assert.StartsWith("spike", warning.Message);
        Assert.Equal(30, series.Bars.Length); // warned, not dropped
    }

    [Fact]
    public void Warns_about_a_lone_bad_low()
    {
        var path = Series((i, c) => i == 29 ? (c, c * 1.004, 0.01, c) : (c, c * 1.004, c * 0.996, c));
        var warning = Assert.Single(BarLoader.Load(path, new LoadOptions()).Report.Warnings);
        Assert.Equal((31L, "low"), (warning.Row, warning.Field));
    }

    [Fact]
    public void Does_not_flag_a_crash_that_the_following_bars_confirm()
    {
        // A 45% fall at bar 15 that the market keeps: neighbours move with it, so it is no spike.
        var path = Series((i, c) => i < 15 ? (c, c * 1.004, c * 0.996, c)
            : i == 15 ? (100, 100.5, 54, 55) : (c * 0.55, c * 0.55 * 1.004, c * 0.55 * 0.996, c * 0.55));
        Assert.Empty(BarLoader.Load(path, new LoadOptions()).Report.Warnings);
    }

    [Fact]
    public void A_threshold_of_zero_turns_the_check_off()
    {
        var path = Series((i, c) => i == 12 ? (c, 300, c * 0.996, c) : (c, c * 1.004, c * 0.996, c));
        Assert.Empty(BarLoader.Load(path, new LoadOptions { SpikeThreshold = 0 }).Report.Warnings);
    }
}
