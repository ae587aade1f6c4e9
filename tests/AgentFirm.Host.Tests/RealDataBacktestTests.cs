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
        Assert.True((double)report["max_drawdown"]! is > 0 and < 1);
        Assert.Equal(2, report["data"]!.AsArray().Count);
        if (strategy == "sma-cross") Assert.True((int)report["round_trips"]! > 10);

        // The books balance, rebuilt here from fills.csv alone: cash = initial - sum(side x qty x price + fee),
        // positions = sum(side x qty), marked at each symbol's last close from the data files.
        var outDir = folder.File(strategy);
        var initial = (double)report["config"]!["initial_cash"]!;
        var fills = Rows(Path.Combine(outDir, "fills.csv"));
        double cash = initial, fees = 0, notional = 0;
        var held = new Dictionary<string, double> { ["BTC-USDT"] = 0, ["ETH-USDT"] = 0 };
        foreach (var f in fills)
        {
            var signed = (f["side"] == "buy" ? 1 : -1) * Number(f["quantity"]);
            cash -= signed * Number(f["price"]) + Number(f["fee"]);
            held[f["symbol"]] += signed;
            fees += Number(f["fee"]);
            notional += Math.Abs(signed) * Number(f["price"]);
        }
        var marked = cash + held.Sum(h => h.Value * BarLoader.Load(Path.Combine(SharedData.Root!, "ohlcv", "1d", h.Key + ".csv"), new LoadOptions { Timeframe = Timeframe.Day }).Bars[^1].Close);
        var final = (double)report["final_equity"]!;
        Assert.Equal((int)report["fills"]!, fills.Count);
        Assert.Equal(1, marked / final, 12);
        Assert.Equal(1, fees / (double)report["fees_paid"]!, 12);
        Assert.Equal(1, notional / (double)report["traded_notional"]!, 12);
        if (strategy == "buyhold") Assert.All(held.Values, q => Assert.True(q > 0)); // still holding both at the end

        // Every row of equity.csv: equity = cash + positions at their marks, and a cash account never borrows.
        var curve = Rows(Path.Combine(outDir, "equity.csv"));
        Assert.Equal(2510, curve.Count);
        Assert.All(curve, row => Assert.Equal(Number(row["cash"]) + Number(row["net_exposure"]), Number(row["equity"]), 1e-6 * Number(row["equity"])));
        Assert.All(curve, row => Assert.True(Number(row["cash"]) >= 0, $"cash {row["cash"]} at {row["timestamp"]}"));
        Assert.Equal(final, Number(curve[^1]["equity"]));
        Assert.Equal(cash, Number(curve[^1]["cash"]), 1e-6 * initial);

        // And the round trips account for the whole gain: sum of net PnL (open ones at the last mark) = final - initial.
        var trips = Rows(Path.Combine(outDir, "trades.csv"));
        Assert.Equal(final - initial, trips.Sum(t => Number(t["net_pnl"])), 1e-9 * final);
    }

    private static double Number(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A report CSV (plain fields, no quoting in these files) as header-keyed rows.</summary>
    private static List<Dictionary<string, string>> Rows(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
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
