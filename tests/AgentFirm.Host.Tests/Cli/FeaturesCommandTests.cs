using System.Globalization;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Host.Tests.Cli;

public sealed class FeaturesCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentfirm-features-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string WriteBars(int count, string? brokenCell = null)
    {
        var path = Path.Combine(_dir, "BTC-USDT.csv");
        var lines = new List<string> { "timestamp,open,high,low,close,volume" };
        var rng = new Random(3);
        var price = 100.0;
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var close = price * Math.Exp(0.01 * (rng.NextDouble() - 0.5));
            var high = Math.Max(price, close) * 1.002;
            var low = Math.Min(price, close) * 0.998;
            var volume = i == 10 && brokenCell is not null ? brokenCell : (50 + rng.NextDouble() * 10).ToString("R", CultureInfo.InvariantCulture);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{t0.AddHours(i):yyyy-MM-ddTHH:mm:ssZ},{price:R},{high:R},{low:R},{close:R},{volume}"));
            price = close;
        }
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task Core_writes_timestamp_and_the_seventeen_columns_with_empty_warm_up_cells()
    {
        var data = WriteBars(50);
        var output = Path.Combine(_dir, "features.csv");
        var (code, stdout, stderr) = await CliRunner.RunAsync("features", "--data", data, "--set", "core", "--out", output);
        Assert.True(code == 0, stderr);
        var lines = File.ReadAllLines(output);
        Assert.Equal("timestamp,sma20,ema20,wma20,rsi14,macd,macd_signal,macd_hist,atr14,bb_mid,bb_upper,bb_lower,rv20,vol_z20,stoch_k14,stoch_d3,parkinson20,garman_klass20", lines[0]);
        Assert.Equal(51, lines.Length);
        Assert.Equal("2024-01-01T00:00:00Z" + new string(',', 17), lines[1]);
        Assert.DoesNotContain("", lines[34].Split(',')); // every core column defined from bar 34
        Assert.Contains("50 bars x 17 columns", stdout);
    }

    [Fact]
    public async Task All_adds_the_rest_after_the_core_columns()
    {
        var data = WriteBars(80);
        var output = Path.Combine(_dir, "all.csv");
        var (code, _, stderr) = await CliRunner.RunAsync("features", "--data", data, "--set", "all", "--out", output);
        Assert.True(code == 0, stderr);
        var header = File.ReadLines(output).First().Split(',');
        Assert.Equal(["timestamp", .. FeatureSets.Names(FeatureSetKind.All)], header);
        Assert.True(header.Length > 101);
    }

    [Fact]
    public async Task Zscore_scales_every_column_against_its_previous_rows_only()
    {
        var data = WriteBars(120);
        var raw = Path.Combine(_dir, "raw.csv");
        var scaled = Path.Combine(_dir, "scaled.csv");
        Assert.Equal(0, (await CliRunner.RunAsync("features", "--data", data, "--out", raw)).ExitCode);
        var (code, stdout, stderr) = await CliRunner.RunAsync("features", "--data", data, "--out", scaled, "--zscore", "30");
        Assert.True(code == 0, stderr);
        Assert.Contains("previous 30 rows", stdout);
        double Cell(string[] lines, int row, int column) => double.Parse(lines[row + 1].Split(',')[column + 1], CultureInfo.InvariantCulture);
        var rawLines = File.ReadAllLines(raw);
        var scaledLines = File.ReadAllLines(scaled);
        // sma20 at row 100 against rows 70..99 of itself.
        var past = Enumerable.Range(70, 30).Select(r => Cell(rawLines, r, 0)).ToArray();
        var mean = past.Average();
        var sd = Math.Sqrt(past.Sum(v => (v - mean) * (v - mean)) / 29);
        Assert.Equal((Cell(rawLines, 100, 0) - mean) / sd, Cell(scaledLines, 100, 0), 9);
        Assert.Equal("", scaledLines[49].Split(',')[1]); // sma20 needs 20 rows, then 30 previous ones
        Assert.Equal(2, (await CliRunner.RunAsync("features", "--data", data, "--out", scaled, "--zscore", "1")).ExitCode);
    }

    [Fact]
    public async Task A_broken_row_is_exit_two_naming_file_row_and_field()
    {
        var data = WriteBars(30, brokenCell: "lots");
        var (code, _, stderr) = await CliRunner.RunAsync("features", "--data", data, "--out", Path.Combine(_dir, "x.csv"));
        Assert.Equal(2, code);
        Assert.Contains("BTC-USDT.csv", stderr);
        Assert.Contains("volume", stderr);
        Assert.Contains("12", stderr); // line 12: header + 10 rows before it
    }

    [Fact]
    public async Task An_unknown_set_is_exit_two()
    {
        var data = WriteBars(30);
        var (code, _, stderr) = await CliRunner.RunAsync("features", "--data", data, "--set", "most", "--out", Path.Combine(_dir, "x.csv"));
        Assert.Equal(2, code);
        Assert.Contains("--set", stderr);
    }
}
