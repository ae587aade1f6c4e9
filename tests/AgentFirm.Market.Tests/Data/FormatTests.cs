using System.Security.Cryptography;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;

namespace AgentFirm.Market.Tests.Data;

public sealed class FormatTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public void Dispose() => _folder.Dispose();

    private static Bar[] SampleBars(int count, TimeSpan step)
    {
        var bars = new Bar[count];
        var price = 42000.12;
        for (var i = 0; i < count; i++)
        {
            var next = price * (1 + 0.001 * ((i * 7919 % 13) - 6));
            bars[i] = new Bar(Start + i * step, step, price, Math.Max(price, next) + 1.5, Math.Min(price, next) - 0.25, next, 0.1 * i);
            price = next;
        }
        return bars;
    }

    [Fact]
    public void Round_trips_a_gzip_csv_exactly_and_hashes_the_raw_bytes()
    {
        var bars = SampleBars(500, TimeSpan.FromHours(1));
        var path = _folder.File("BTC-USDT.csv.gz");
        OhlcvCsvWriter.Write(path, bars);

        var series = BarLoader.Load(path, new LoadOptions());

        Assert.Equal(bars, series.Bars);
        Assert.Equal("BTC-USDT", series.Symbol);
        Assert.Equal(Timeframe.Hour, series.Timeframe);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))), series.Report.Sha256);
        Assert.Equal((500, bars[0].Time, bars[^1].Time), (series.Report.Rows, series.Report.First, series.Report.Last));
    }

    [Fact]
    public async Task Round_trips_parquet_exactly_through_ParquetBars_and_the_loader()
    {
        var bars = SampleBars(300, TimeSpan.FromDays(1));
        var path = _folder.File("ETH-USDT.parquet");
        File.WriteAllText(path, "old content to be replaced");

        await ParquetBars.WriteAsync(path, bars);

        Assert.Equal(bars, await ParquetBars.ReadAsync(path));
        var series = BarLoader.Load(path, new LoadOptions());
        Assert.Equal(bars, series.Bars);
        Assert.Equal(Timeframe.Day, series.Timeframe);
        Assert.Equal([path], Directory.GetFiles(_folder.Path)); // atomic write leaves no temp file behind
    }

    [Fact]
    public async Task Parquet_keeps_variable_bar_durations()
    {
        Bar[] bars =
        [
            new(Start, TimeSpan.FromMinutes(7), 10, 11, 9, 10.5, 100),
            new(Start.AddMinutes(7), TimeSpan.FromSeconds(93.5), 10.5, 12, 10, 11, 100),
        ];
        var path = _folder.File("vol.parquet");
        await ParquetBars.WriteAsync(path, bars);
        Assert.Equal(bars, await ParquetBars.ReadAsync(path));
    }

    [Theory]
    [InlineData(false, 1L)]     // open_time in milliseconds (exports up to 2024)
    [InlineData(false, 1000L)]  // microseconds (data.binance.vision from 2025)
    [InlineData(true, 1L)]      // with the occasional header line
    public void Reads_binance_klines_in_ms_or_us(bool header, long scale)
    {
        long t0 = 1735689600000; // 2025-01-01T00:00:00Z in ms
        string Row(int h, string ohlcv) =>
            $"{(t0 + h * 3_600_000L) * scale},{ohlcv},{(t0 + (h + 1) * 3_600_000L - 1) * scale},1234.5,42,3.5,150.25,0";
        var lines = new List<string>();
        if (header) lines.Add(string.Join(',', "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore"));
        lines.Add(Row(0, "93576.00,94509.42,93489.03,94401.14,755.69"));
        lines.Add(Row(1, "94401.13,94559.99,94211.20,94246.99,521.05"));
        lines.Add(Row(2, "94247.00,94316.86,94020.11,94103.50,401.00"));
        var path = CsvFiles.Write(_folder, "BTCUSDT-1h-2025-01.csv", [.. lines]);

        var series = BarLoader.Load(path, new LoadOptions());

        Assert.Equal("BTC-USDT", series.Symbol);
        Assert.Equal(Timeframe.Hour, series.Timeframe);
        Assert.Equal(new Bar(new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), 94401.13, 94559.99, 94211.20, 94246.99, 521.05),
            series.Bars[1]);
        Assert.Equal(3, series.Report.Rows);
    }

    [Theory]
    [InlineData("2024-03-05T06:00:00Z")]
    [InlineData("2024-03-05 06:00:00")]
    [InlineData("2024-03-05T06:00:00")]
    [InlineData("2024-03-05T06:00:00.000Z")]
    [InlineData("2024-03-05T07:00:00+01:00")]
    [InlineData("1709618400")]
    [InlineData("1709618400000")]
    public void Accepts_timestamp_fallbacks(string text)
    {
        Assert.True(Utf8Fields.TryParseTimestamp(System.Text.Encoding.UTF8.GetBytes(text), out var ticks));
        Assert.Equal(new DateTime(2024, 3, 5, 6, 0, 0, DateTimeKind.Utc).Ticks, ticks);
    }

    [Fact]
    public void Reads_date_only_daily_rows()
    {
        var path = CsvFiles.Write(_folder, "D-USD.csv", CsvFiles.Header, "2024-02-28,1,2,1,2,5", "2024-02-29,2,3,1,2,5", "2024-03-01,2,3,1,2,5");
        var series = BarLoader.Load(path, new LoadOptions());
        Assert.Equal(Timeframe.Day, series.Timeframe);
        Assert.Equal(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero), series.Bars[1].Time);
    }

    [Fact]
    public void Fast_number_path_agrees_with_double_Parse()
    {
        var random = new Random(7);
        for (var i = 0; i < 20000; i++)
        {
            var text = Math.Round(random.NextDouble() * Math.Pow(10, random.Next(-8, 9)), random.Next(0, 12)).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            if (i % 3 == 0) text += "000";
            Assert.True(Utf8Fields.TryParseDouble(System.Text.Encoding.ASCII.GetBytes(text), out var fast), text);
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), fast);
        }
        foreach (var text in (string[])["16199.91", "0.00000001", "-3.5", "1e-5", "12345678901234567890", "0.1234567890123456789"])
        {
            Assert.True(Utf8Fields.TryParseDouble(System.Text.Encoding.ASCII.GetBytes(text), out var value), text);
            Assert.Equal(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), value);
        }
    }

    [Fact]
    public void Takes_the_symbol_from_options_over_the_file_name()
    {
        var path = CsvFiles.WithLine(_folder, 1, CsvFiles.Header);
        Assert.Equal("XRP-USDT", BarLoader.Load(path, new LoadOptions { Symbol = "XRP-USDT" }).Symbol);
    }

    [Fact]
    public void Resolves_files_in_an_ohlcv_layout_or_its_parent()
    {
        Directory.CreateDirectory(_folder.File("ohlcv/1h"));
        Directory.CreateDirectory(_folder.File("ohlcv/1d"));
        File.WriteAllText(_folder.File("ohlcv/1h/SOL-USDT.csv.gz"), "");
        File.WriteAllText(_folder.File("ohlcv/1d/SOL-USDT.parquet"), "");

        Assert.Equal(_folder.File("ohlcv/1h/SOL-USDT.csv.gz"), OhlcvDirectory.Resolve(_folder.File("ohlcv"), "SOL-USDT", Timeframe.Hour));
        Assert.Equal(_folder.File("ohlcv/1h/SOL-USDT.csv.gz"), OhlcvDirectory.Resolve(_folder.Path, "sol-usdt", Timeframe.Hour));
        Assert.Equal(Path.Combine(_folder.Path, "ohlcv", "1d", "SOL-USDT.parquet"), OhlcvDirectory.Resolve(_folder.Path, "SOL-USDT", Timeframe.Day));
    }

    [Fact]
    public void Missing_series_names_every_place_it_looked()
    {
        var ex = Assert.Throws<BadInputException>(() => OhlcvDirectory.Resolve(_folder.Path, "DOGE-USDT", Timeframe.FourHours));
        Assert.Contains(Path.Combine(_folder.Path, "4h", "DOGE-USDT.csv"), ex.Message);
        Assert.Contains(Path.Combine(_folder.Path, "ohlcv", "4h", "DOGE-USDT.csv.gz"), ex.Message);
        Assert.Contains(Path.Combine(_folder.Path, "ohlcv", "4h", "DOGE-USDT.parquet"), ex.Message);
    }
}
