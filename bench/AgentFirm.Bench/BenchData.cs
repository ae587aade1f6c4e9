using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Bench;

/// <summary>Finds ../shared/data from the checkout (or AGENTFIRM_SHARED_DATA), or says it is absent.</summary>
internal static class BenchData
{
    public static string? Root { get; } = Locate();

    public static string? File(string relative) => Root is null ? null : System.IO.File.Exists(Path.Combine(Root, relative)) ? Path.Combine(Root, relative) : null;

    private static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("AGENTFIRM_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? env : null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "AgentFirm.sln")))
            {
                var shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
                return Directory.Exists(shared) ? shared : null;
            }
        return null;
    }

    /// <summary>Hourly BTC-USDT and ETH-USDT from the shared data, or two synthetic walks of the same length without it.</summary>
    public static (MarketSeries[] Market, string Source) HourlyBtcEth()
    {
        var btc = File("ohlcv/1h/BTC-USDT.csv");
        var eth = File("ohlcv/1h/ETH-USDT.csv");
        if (btc is not null && eth is not null)
        {
            var options = new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.CarryForward };
            return ([new MarketSeries(Instrument.Parse("BTC-USDT"), BarLoader.Load(btc, options).Bars),
                     new MarketSeries(Instrument.Parse("ETH-USDT"), BarLoader.Load(eth, options).Bars)],
                    "shared ohlcv/1h BTC-USDT + ETH-USDT");
        }
        Console.Error.WriteLine("shared data absent: using two synthetic hourly random walks of 60,000 bars");
        return ([new MarketSeries(Instrument.Parse("BTC-USDT"), RandomWalk(60_000, 1)),
                 new MarketSeries(Instrument.Parse("ETH-USDT"), RandomWalk(60_000, 2))], "synthetic");
    }

    /// <summary>A deterministic hourly random walk, for when the shared data is absent.</summary>
    public static Bar[] RandomWalk(int count, ulong seed)
    {
        var bars = new Bar[count];
        var state = seed;
        var price = 100.0;
        var t0 = new DateTimeOffset(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            var u = (state >> 11) * (1.0 / (1UL << 53)) - 0.5;
            var open = price;
            price *= Math.Exp(0.02 * u);
            bars[i] = new Bar(t0.AddHours(i), TimeSpan.FromHours(1), open, Math.Max(open, price) * 1.001, Math.Min(open, price) * 0.999, price, 1000);
        }
        return bars;
    }
}
