using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.TestSupport;

namespace AgentFirm.Quant.Tests.Indicators;

internal static class TestBars
{
    public static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A random OHLCV walk with the awkward cases mixed in: repeated closes, flat zero-volume filler bars,
    /// bars that close at their high or low, volume spikes.
    /// </summary>
    public static Bar[] Random(int count, int seed, double start = 100)
    {
        var rng = new Random(seed);
        var bars = new Bar[count];
        var price = start;
        for (var i = 0; i < count; i++)
        {
            var time = T0.AddHours(i);
            var roll = rng.NextDouble();
            if (roll < 0.03)
            {
                bars[i] = new Bar(time, TimeSpan.FromHours(1), price, price, price, price, 0);
                continue;
            }
            var open = price;
            var close = roll < 0.08 ? open : open * Math.Exp(0.02 * (rng.NextDouble() - 0.5));
            var high = Math.Max(open, close) * (roll < 0.12 ? 1 : 1 + 0.01 * rng.NextDouble());
            var low = Math.Min(open, close) * (roll > 0.95 ? 1 : 1 - 0.01 * rng.NextDouble());
            var volume = 10 + 100 * rng.NextDouble() * (rng.NextDouble() < 0.05 ? 10 : 1);
            bars[i] = new Bar(time, TimeSpan.FromHours(1), open, high, low, close, volume);
            price = close;
        }
        return bars;
    }

    /// <summary>Bars that follow given closes, with a fixed range around them: for hand-checked examples.</summary>
    public static Bar[] FromCloses(params double[] closes) =>
        closes.Select((c, i) => new Bar(T0.AddHours(i), TimeSpan.FromHours(1), c, c + 1, c - 1, c, 100 + i)).ToArray();

    /// <summary>Hourly BTC-USDT from the shared data (gaps carried forward); skips the test when absent.</summary>
    public static Bar[] RealBtcHourly()
    {
        var path = SharedData.RequireFile("ohlcv/1h/BTC-USDT.csv");
        return BarLoader.Load(path, new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.CarryForward }).Bars;
    }
}
