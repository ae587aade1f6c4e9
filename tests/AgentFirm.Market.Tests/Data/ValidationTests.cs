using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;

namespace AgentFirm.Market.Tests.Data;

public sealed class ValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private static readonly LoadOptions Hourly = new() { Timeframe = Timeframe.Hour };

    public void Dispose() => _folder.Dispose();

    private BadInputException RejectLine(int line, string replacement, LoadOptions? options = null)
    {
        var path = CsvFiles.WithLine(_folder, line, replacement);
        return Assert.Throws<BadInputException>(() => BarLoader.Load(path, options ?? Hourly));
    }

    private void AssertNames(BadInputException ex, long row, string field, string? fileName = "TEST-USDT.csv")
    {
        var file = _folder.File(fileName!);
        Assert.Equal(file, ex.File);
        Assert.Equal(row, ex.Row);
        Assert.Equal(field, ex.Field);
        Assert.Contains(file, ex.Message);
        Assert.Contains($"row {row}", ex.Message);
        Assert.Contains($"'{field}'", ex.Message);
    }

    [Fact]
    public void Accepts_the_good_fixture_and_zero_volume()
    {
        var series = BarLoader.Load(CsvFiles.WithLine(_folder, 1, CsvFiles.Header), Hourly);
        Assert.Equal(3, series.Bars.Length);
        Assert.Equal(0, series.Bars[2].Volume);
        Assert.Equal("TEST-USDT", series.Symbol);
    }

    [Theory]
    [InlineData("2024-01-01T01:00:00Z,1o5,108,101,102,7", "open")]
    [InlineData("2024-01-01T01:00:00Z,105,108,,102,7", "low")]
    [InlineData("2024-01-01T01:00:00Z,105,108,101,102,7x", "volume")]
    [InlineData("2024-01-01T01:00:00Z,105,1.0.8,101,102,7", "high")]
    public void Rejects_a_broken_number_naming_its_field(string row, string field)
    {
        var ex = RejectLine(3, row);
        AssertNames(ex, 3, field);
        Assert.Contains("not a number", ex.Message);
    }

    [Theory]
    [InlineData("2024-01-01T01:00:00Z,105,NaN,101,102,7", "high")]
    [InlineData("2024-01-01T01:00:00Z,105,108,101,Infinity,7", "close")]
    [InlineData("2024-01-01T01:00:00Z,105,108,101,102,-Infinity", "volume")]
    public void Rejects_NaN_and_infinity(string row, string field)
    {
        var ex = RejectLine(3, row);
        AssertNames(ex, 3, field);
        Assert.Contains("finite", ex.Message);
    }

    [Theory]
    [InlineData("2024-01-01T01:00:00Z,105,108,0,102,7", "low")]
    [InlineData("2024-01-01T01:00:00Z,-105,108,101,102,7", "open")]
    [InlineData("2024-01-01T01:00:00Z,105,108,101,0,7", "close")]
    public void Rejects_a_non_positive_price(string row, string field)
    {
        var ex = RejectLine(3, row);
        AssertNames(ex, 3, field);
        Assert.Contains("positive", ex.Message);
    }

    [Fact]
    public void Rejects_high_below_low()
    {
        var ex = RejectLine(4, "2024-01-01T02:00:00Z,102,98,99,99,1");
        AssertNames(ex, 4, "high");
        Assert.Contains("below low", ex.Message);
    }

    [Fact]
    public void Rejects_open_outside_the_range()
    {
        var ex = RejectLine(2, "2024-01-01T00:00:00Z,111,110,95,105,12.5");
        AssertNames(ex, 2, "open");
        Assert.Contains("outside", ex.Message);
    }

    [Fact]
    public void Rejects_close_outside_the_range()
    {
        var ex = RejectLine(2, "2024-01-01T00:00:00Z,100,110,95,94.5,12.5");
        AssertNames(ex, 2, "close");
        Assert.Contains("outside", ex.Message);
    }

    [Fact]
    public void Rejects_negative_volume()
    {
        var ex = RejectLine(3, "2024-01-01T01:00:00Z,105,108,101,102,-0.5");
        AssertNames(ex, 3, "volume");
        Assert.Contains("negative", ex.Message);
    }

    [Fact]
    public void Rejects_a_duplicate_timestamp()
    {
        var ex = RejectLine(3, "2024-01-01T00:00:00Z,105,108,101,102,7");
        AssertNames(ex, 3, "timestamp");
        Assert.Contains("duplicate", ex.Message);
    }

    [Fact]
    public void Rejects_an_out_of_order_timestamp()
    {
        var ex = RejectLine(4, "2023-12-31T23:00:00Z,102,104,99,103,0");
        AssertNames(ex, 4, "timestamp");
        Assert.Contains("out of order", ex.Message);
    }

    [Fact]
    public void Rejects_a_gap_longer_than_the_timeframe_when_gaps_fail()
    {
        var ex = RejectLine(4, "2024-01-01T05:00:00Z,102,104,99,103,0");
        AssertNames(ex, 4, "timestamp");
        Assert.Contains("3 1h bar(s) missing", ex.Message);
    }

    [Theory]
    [InlineData("2024-01-01T01:00:00Z,105,108,101,102")]
    [InlineData("2024-01-01T01:00:00Z,105,108,101,102,7,99")]
    [InlineData("")]
    public void Rejects_a_wrong_column_count(string row)
    {
        var ex = RejectLine(3, row);
        AssertNames(ex, 3, "columns");
    }

    [Theory]
    [InlineData("2024-13-01T01:00:00Z,105,108,101,102,7")]
    [InlineData("2024-02-30T01:00:00Z,105,108,101,102,7")]
    [InlineData("2024-01-01T25:00:00Z,105,108,101,102,7")]
    [InlineData("yesterday,105,108,101,102,7")]
    public void Rejects_a_bad_timestamp(string row)
    {
        var ex = RejectLine(3, row);
        AssertNames(ex, 3, "timestamp");
        Assert.Contains("not a timestamp", ex.Message);
    }

    [Fact]
    public void Rejects_an_unknown_header()
    {
        var ex = RejectLine(1, "time,o,h,l,c,v");
        AssertNames(ex, 1, "header");
    }

    [Fact]
    public void Rejects_a_misaligned_bar()
    {
        var ex = RejectLine(4, "2024-01-01T02:30:00Z,102,104,99,103,0");
        AssertNames(ex, 4, "timestamp");
        Assert.Contains("misaligned", ex.Message);
    }

    [Fact]
    public void Rejects_bars_closer_than_an_explicit_timeframe()
    {
        var ex = RejectLine(1, CsvFiles.Header, new LoadOptions { Timeframe = Timeframe.Day });
        AssertNames(ex, 3, "timestamp");
        Assert.Contains("less than the timeframe", ex.Message);
    }

    [Fact]
    public void Rejects_a_bad_binance_open_time_naming_the_binance_column()
    {
        var path = CsvFiles.Write(_folder, "BTCUSDT-1h-2024-01.csv",
            "1704067200000,100,110,95,105,12.5,1704070799999,1250,10,6,600,0",
            "17040x0800000,105,108,101,102,7,1704074399999,700,5,3,300,0");
        var ex = Assert.Throws<BadInputException>(() => BarLoader.Load(path, Hourly));
        AssertNames(ex, 2, "open_time", "BTCUSDT-1h-2024-01.csv");
    }

    [Fact]
    public async Task Rejects_a_bad_parquet_record_naming_its_record_number()
    {
        var path = _folder.File("BAD-USDT.parquet");
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await ParquetBars.WriteAsync(path,
        [
            new Bar(t, TimeSpan.FromHours(1), 100, 110, 95, 105, 1),
            new Bar(t.AddHours(1), TimeSpan.FromHours(1), 100, 90, 95, 92, 1),
        ]);
        var ex = Assert.Throws<BadInputException>(() => BarLoader.Load(path, Hourly));
        AssertNames(ex, 2, "high", "BAD-USDT.parquet");
    }
}
