using AgentFirm.Core;
using AgentFirm.Market.Bars;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;

namespace AgentFirm.Market.Tests.Data;

/// <summary>Against ../shared/data (AGENTFIRM_SHARED_DATA); each test skips with a message when it is absent.</summary>
public sealed class RealDataTests
{
    [SkippableFact]
    public void Flags_the_known_bad_first_hourly_BTC_bar()
    {
        var path = SharedData.RequireFile("ohlcv/1h/BTC-USDT.csv");
        var series = BarLoader.Load(path, new LoadOptions { Gaps = GapPolicy.Skip });

        var spikes = series.Report.Warnings.Where(w => w.Message.StartsWith("spike")).ToList();
        var first = Assert.Single(spikes);
        Assert.Equal((2L, "high"), (first.Row, first.Field)); // 2017-08-17T04:00Z open=high=16199.91, neighbours near 4300
        Assert.Contains("16199.91", first.Message);
        Assert.Equal(16199.91, series.Bars[0].High); // warned, kept as delivered
    }

    [SkippableFact]
    public void Hourly_BTC_gaps_match_the_data_readme()
    {
        var path = SharedData.RequireFile("ohlcv/1h/BTC-USDT.csv");
        var skip = BarLoader.Load(path, new LoadOptions { Gaps = GapPolicy.Skip });
        Assert.Equal((60213, 11, 23), (skip.Report.Rows, skip.Report.Gaps, skip.Report.MissingBars));
        Assert.Equal(Timeframe.Hour, skip.Timeframe);

        var filled = BarLoader.Load(path, new LoadOptions { Gaps = GapPolicy.CarryForward });
        Assert.Equal(60213 + 23, filled.Bars.Length);
        Assert.Equal(23, filled.Report.FilledBars);

        var ex = Assert.Throws<BadInputException>(() => BarLoader.Load(path, new LoadOptions()));
        Assert.Equal("timestamp", ex.Field);
        Assert.Contains("gap", ex.Message);
    }

    [SkippableFact]
    public void Loads_every_shared_daily_file_without_errors()
    {
        var dir = Path.GetDirectoryName(SharedData.RequireFile("ohlcv/1d/BTC-USDT.csv"))!;
        var files = Directory.GetFiles(dir).Where(f => f.EndsWith(".csv") || f.EndsWith(".csv.gz")).ToArray();
        Assert.True(files.Length >= 19, $"expected the 19 daily files, found {files.Length}");
        foreach (var file in files)
        {
            var series = BarLoader.Load(file, new LoadOptions { Gaps = GapPolicy.Fail });
            Assert.Equal(Timeframe.Day, series.Timeframe);
            Assert.Equal(series.Report.Rows, series.Bars.Length);
            Assert.Equal(Path.GetFileName(file)[..^4], series.Symbol);
        }
    }

    [SkippableFact]
    public void Does_not_flag_the_March_2020_crash_in_BTC_USD_daily()
    {
        var path = SharedData.RequireFile("ohlcv/1d/BTC-USD.csv");
        var series = BarLoader.Load(path, new LoadOptions());

        var crash = series.Bars.Single(b => b.Time == new DateTimeOffset(2020, 3, 12, 0, 0, 0, TimeSpan.Zero));
        Assert.True(crash.Close / crash.Open < 0.7, "2020-03-12 should be the big down day");
        Assert.DoesNotContain(series.Report.Warnings, w => w.Message.Contains("2020-03-"));
        // ...while the obvious bad print (low 0.06 among ~1200) is flagged.
        Assert.Contains(series.Report.Warnings, w => w.Message.Contains("2017-04-15") && w.Field == "low");
    }

    [SkippableFact]
    public void Hourly_BTC_aggregated_to_4h_matches_the_official_4h_closes_since_2022()
    {
        var hourly = BarLoader.Load(SharedData.RequireFile("ohlcv/1h/BTC-USDT.csv"), new LoadOptions { Gaps = GapPolicy.Skip });
        var official = BarLoader.Load(SharedData.RequireFile("ohlcv/4h/BTC-USDT.csv"), new LoadOptions { Gaps = GapPolicy.Skip });
        var since = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var built = TimeBarAggregator.Aggregate(hourly.Bars.Where(b => b.Time >= since), Timeframe.FourHours)
            .ToDictionary(b => b.Time);
        var compared = 0;
        var matching = 0;
        foreach (var bar in official.Bars.Where(b => b.Time >= since))
        {
            if (!built.TryGetValue(bar.Time, out var mine)) continue;
            compared++;
            if (mine.Close == bar.Close && mine.Open == bar.Open && Math.Abs(mine.Volume / bar.Volume - 1) < 0.01) matching++;
        }
        Assert.True(compared > 5000, $"compared only {compared} buckets");
        Assert.True(matching > 0.99 * compared, $"{matching} of {compared} 4h buckets match");
    }
}
