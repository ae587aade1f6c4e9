using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;

namespace AgentFirm.Market.Tests.Data;

public sealed class GapPolicyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // 00:00, 01:00, then 04:00 and 05:00: one gap of two bars (02:00, 03:00); 04:00 is on line 4.
    private string GappedFile() => CsvFiles.Write(_folder, "GAP-USDT.csv",
        CsvFiles.Header,
        "2024-01-01T00:00:00Z,100,110,95,105,12.5",
        "2024-01-01T01:00:00Z,105,108,101,102,7",
        "2024-01-01T04:00:00Z,103,104,99,100,3",
        "2024-01-01T05:00:00Z,100,101,98,99,2");

    [Fact]
    public void Fail_throws_at_the_first_row_after_the_gap()
    {
        var path = GappedFile();
        var ex = Assert.Throws<BadInputException>(() => BarLoader.Load(path, new LoadOptions { Gaps = GapPolicy.Fail }));
        Assert.Equal(4, ex.Row);
        Assert.Equal("timestamp", ex.Field);
        Assert.Contains("2024-01-01T01:00:00Z and 2024-01-01T04:00:00Z", ex.Message);
    }

    [Fact]
    public void CarryForward_inserts_flat_zero_volume_bars_at_the_previous_close_and_counts_them()
    {
        var series = BarLoader.Load(GappedFile(), new LoadOptions { Gaps = GapPolicy.CarryForward });

        Assert.Equal(Timeframe.Hour, series.Timeframe);
        Assert.Equal(6, series.Bars.Length);
        for (var i = 0; i < 6; i++) Assert.Equal(new DateTimeOffset(2024, 1, 1, i, 0, 0, TimeSpan.Zero), series.Bars[i].Time);
        foreach (var filler in series.Bars[2..4])
        {
            Assert.Equal(new Bar(filler.Time, TimeSpan.FromHours(1), 102, 102, 102, 102, 0), filler);
            Assert.True(filler.IsFiller);
        }
        Assert.False(series.Bars[3 + 1].IsFiller);
        var report = series.Report;
        Assert.Equal((4, 1, 2, 2), (report.Rows, report.Gaps, report.MissingBars, report.FilledBars));
        var warning = Assert.Single(report.Warnings);
        Assert.Equal((4L, "timestamp"), (warning.Row, warning.Field));
    }

    [Fact]
    public void Skip_keeps_the_gap_and_reports_it()
    {
        var series = BarLoader.Load(GappedFile(), new LoadOptions { Gaps = GapPolicy.Skip });

        Assert.Equal(4, series.Bars.Length);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 4, 0, 0, TimeSpan.Zero), series.Bars[2].Time);
        Assert.DoesNotContain(series.Bars, b => b.IsFiller);
        var report = series.Report;
        Assert.Equal((4, 1, 2, 0), (report.Rows, report.Gaps, report.MissingBars, report.FilledBars));
        Assert.Contains("left as a gap", Assert.Single(report.Warnings).Message);
    }

    [Fact]
    public void Infers_the_timeframe_from_the_median_spacing_despite_a_gap()
    {
        var path = CsvFiles.Write(_folder, "FOUR-USDT.csv",
            CsvFiles.Header,
            "2024-01-01T00:00:00Z,100,110,95,105,1",
            "2024-01-01T04:00:00Z,105,108,101,102,1",
            "2024-01-01T08:00:00Z,102,104,99,103,1",
            "2024-01-01T20:00:00Z,103,104,99,100,1",
            "2024-01-02T00:00:00Z,100,101,98,99,1");
        var series = BarLoader.Load(path, new LoadOptions { Gaps = GapPolicy.Skip });

        Assert.Equal(Timeframe.FourHours, series.Timeframe);
        Assert.All(series.Bars, b => Assert.Equal(TimeSpan.FromHours(4), b.Duration));
        Assert.Equal((1, 2), (series.Report.Gaps, series.Report.MissingBars));
    }

    [Fact]
    public void An_explicit_finer_timeframe_turns_wider_spacing_into_gaps()
    {
        var path = CsvFiles.Write(_folder, "TWO-USDT.csv",
            CsvFiles.Header,
            "2024-01-01T00:00:00Z,100,110,95,105,1",
            "2024-01-01T02:00:00Z,105,108,101,102,1");
        var series = BarLoader.Load(path, new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.CarryForward });

        Assert.Equal(3, series.Bars.Length);
        Assert.Equal(1, series.Report.FilledBars);
    }
}
