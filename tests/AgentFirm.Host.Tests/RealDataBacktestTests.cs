using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests;

/// <summary>Backtests over ../shared/data (skipped with a message when the folder is absent).</summary>
public sealed class RealDataBacktestTests
{
    private static async Task<JsonNode> Backtest(TempFolder folder, string strategy, string data, string symbols)
    {
        var outDir = folder.File(strategy);
        var run = await CliRunner.RunAsync("backtest", "--data", data, "--symbols", symbols, "--timeframe", "1d", "--strategy", strategy, "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;
    }

    [SkippableTheory]
    [InlineData("buyhold")]
    [InlineData("sma-cross")]
    public async Task Daily_BTC_and_ETH_backtest_runs_and_balances(string strategy)
    {
        SharedData.RequireFile("ohlcv/1d/BTC-USDT.csv");
        SharedData.RequireFile("ohlcv/1d/ETH-USDT.csv");
        using var folder = new TempFolder();

        var report = await Backtest(folder, strategy, Path.Combine(SharedData.Root!, "ohlcv"), "BTC-USDT,ETH-USDT");

        Assert.Equal(2509, (int)report["periods"]!); // 2510 daily bars, one return fewer
        Assert.True((double)report["final_equity"]! > 0);
        Assert.True((double)report["max_drawdown"]! is > 0 and < 1);
        Assert.Equal(2, report["data"]!.AsArray().Count);
        if (strategy == "sma-cross") Assert.True((int)report["round_trips"]! > 10);
    }

    [SkippableFact]
    public async Task Buy_and_hold_of_the_long_BTC_USD_series_tracks_the_price_ratio_minus_costs()
    {
        var file = SharedData.RequireFile("ohlcv/1d/BTC-USD.csv");
        using var folder = new TempFolder();
        var outDir = folder.File("bh");

        // From 2015 the market is deep enough for the order to fill at once, so the price ratio applies.
        var run = await CliRunner.RunAsync("backtest", "--data", file, "--timeframe", "1d", "--strategy", "buyhold", "--from", "2015-01-01", "--out", outDir);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")))!;

        // Independent check from the bars: 99% of equity sized at the first close, bought at the next open, held to the last close.
        var bars = BarLoader.Load(file, new LoadOptions { Timeframe = Timeframe.Day }).Bars.Where(b => b.Time >= new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToArray();
        var expected = 0.99 * (bars[^1].Close - bars[1].Open) / bars[0].Close;
        var costBound = 0.99 * bars[1].Open / bars[0].Close * 0.003; // fee 10 bp + half spread 1 bp + impact: well under 30 bp
        Assert.InRange((double)report["total_return"]!, expected - costBound, expected);
        Assert.Equal(1, (int)report["fills"]!);
    }

    [SkippableFact]
    public async Task In_the_thin_2011_market_the_participation_cap_spreads_the_buy_over_many_days()
    {
        var file = SharedData.RequireFile("ohlcv/1d/BTC-USD.csv");
        using var folder = new TempFolder();

        var report = await Backtest(folder, "buyhold", file, "BTC-USD");

        // August 2011 traded a few BTC a day on Bitstamp; 10% of that cannot absorb 99,000 USD at once.
        Assert.True((int)report["fills"]! > 100, $"only {(int)report["fills"]!} fills");
        Assert.Equal(4700, (int)report["periods"]!);
    }
}
