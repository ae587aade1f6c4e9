using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Market.Exchange;
using AgentFirm.TestSupport;
using AgentFirm.TestSupport.Exchange;
using static AgentFirm.Market.Tests.Exchange.ExchangeFixture;

namespace AgentFirm.Market.Tests.Exchange;

public sealed class KlineResumeTests
{
    private static readonly Timeframe H1 = Timeframe.Hour;

    private static string Csv(IEnumerable<Bar> bars)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        OhlcvCsvWriter.WriteTo(writer, bars);
        return writer.ToString();
    }

    [Fact]
    public async Task Downloading_to_a_file_uses_the_shared_layout_and_schema()
    {
        using var folder = new TempFolder();
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        var bars = FakePricePath.Generate(Start, H1, 48);
        x.Fake.AddMarket("BTCUSDT", H1, bars);

        var report = await x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + TimeSpan.FromDays(2), folder.Path);

        var path = Path.Combine(folder.Path, "1h", "BTC-USDT.csv");
        Assert.Equal(path, report.Path);
        Assert.Equal(Csv(bars), File.ReadAllText(path));
        Assert.Equal(48, report.RowsAppended);
        Assert.Equal(48, report.RowsInFile);
        Assert.Null(report.ResumedAfter);
    }

    [Fact]
    public async Task Coinbase_usdt_pair_is_saved_under_the_usd_product_it_actually_is()
    {
        using var folder = new TempFolder();
        await using var x = new ExchangeFixture(ExchangeName.Coinbase);
        x.Fake.AddMarket("BTC-USD", H1, FakePricePath.Generate(Start, H1, 5));

        var report = await x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + H1.Duration * 5, folder.Path);

        Assert.Equal("BTC-USD", report.Served.Symbol);
        Assert.True(File.Exists(Path.Combine(folder.Path, "1h", "BTC-USD.csv")));
    }

    [Fact]
    public async Task Resume_after_an_interrupted_run_appends_without_duplicates()
    {
        using var folder = new TempFolder();
        var bars = FakePricePath.Generate(Start, H1, 1500);
        var to = Start + H1.Duration * 1500;

        // First run: the machine's clock said only 700 bars had closed when it stopped.
        await using (var early = new ExchangeFixture(ExchangeName.Binance, now: Start + H1.Duration * 700 + TimeSpan.FromMinutes(20)))
        {
            early.Fake.AddMarket("BTCUSDT", H1, bars);
            var first = await early.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, to, folder.Path);
            Assert.Equal(700, first.RowsInFile);
        }

        await using var x = new ExchangeFixture(ExchangeName.Binance);
        x.Fake.AddMarket("BTCUSDT", H1, bars);
        var report = await x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, to, folder.Path);

        Assert.Equal(bars[699].Time, report.ResumedAfter);
        Assert.Equal(800, report.RowsAppended);
        Assert.Equal(1500, report.RowsInFile);
        Assert.Equal(Csv(bars), File.ReadAllText(report.Path));
        Assert.Contains($"startTime={bars[700].Time.ToUnixTimeMilliseconds()}", x.Fake.Requests[0].Query); // nothing re-downloaded
        Assert.Single(Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories)); // no temp files left
    }

    [Fact]
    public async Task Resume_with_nothing_new_leaves_the_file_alone()
    {
        using var folder = new TempFolder();
        var bars = FakePricePath.Generate(Start, H1, 24);
        await using var x = new ExchangeFixture(ExchangeName.Binance);
        x.Fake.AddMarket("BTCUSDT", H1, bars);
        var first = await x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + TimeSpan.FromDays(1), folder.Path);
        var written = File.GetLastWriteTimeUtc(first.Path);

        var again = await x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + TimeSpan.FromDays(1), folder.Path);

        Assert.Equal(0, again.RowsAppended);
        Assert.Equal(24, again.RowsInFile);
        Assert.Equal(written, File.GetLastWriteTimeUtc(first.Path));
        Assert.Single(x.Fake.Requests);
    }

    [Fact]
    public async Task A_failed_resume_leaves_the_existing_file_byte_for_byte()
    {
        using var folder = new TempFolder();
        var bars = FakePricePath.Generate(Start, H1, 200);
        await using var x = new ExchangeFixture(ExchangeName.Binance, retry: RetryPolicy.Default with { MaxAttempts = 2 });
        x.Fake.AddMarket("BTCUSDT", H1, bars);
        var first = await x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + H1.Duration * 100, folder.Path);
        var before = File.ReadAllBytes(first.Path);

        x.Fake.FailEveryRequest(FakeFault.ServerError);
        await Assert.ThrowsAsync<ExchangeUnavailableException>(() =>
            x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + H1.Duration * 200, folder.Path));

        Assert.Equal(before, File.ReadAllBytes(first.Path));
        Assert.Single(Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_gap_across_the_resume_seam_is_reported()
    {
        using var folder = new TempFolder();
        var full = FakePricePath.Generate(Start, H1, 50);
        var path = Path.Combine(folder.Path, "1h", "BTC-USDT.csv");
        OhlcvCsvWriter.Write(path, full.Take(20));

        await using var x = new ExchangeFixture(ExchangeName.Binance);
        x.Fake.AddMarket("BTCUSDT", H1, FakePricePath.WithGap(full, 20, 3));
        var report = await x.Downloader.DownloadToFileAsync(BtcUsdt, H1, Start, Start + H1.Duration * 50, folder.Path);

        var gap = Assert.Single(report.Download.Gaps);
        Assert.Equal(full[20].Time, gap.FirstMissing);
        Assert.Equal(3, gap.MissingBars);
        Assert.Equal(Csv(FakePricePath.WithGap(full, 20, 3)), File.ReadAllText(path));
    }

    [Fact]
    public void A_file_in_another_schema_is_not_appended_to()
    {
        using var folder = new TempFolder();
        var path = folder.File("x.csv");
        File.WriteAllText(path, "date,price\n2024-01-01,1\n");
        Assert.Throws<BadInputException>(() => new OhlcvOutputFile(path).LastBarTime());
    }

    [Fact]
    public void The_last_bar_time_comes_from_the_last_row()
    {
        using var folder = new TempFolder();
        var path = folder.File("x.csv");
        var bars = FakePricePath.Generate(Start, H1, 3000);
        OhlcvCsvWriter.Write(path, bars);
        Assert.Equal(bars[^1].Time, new OhlcvOutputFile(path).LastBarTime());

        OhlcvCsvWriter.Write(path, []);
        Assert.Null(new OhlcvOutputFile(path).LastBarTime());
    }
}
