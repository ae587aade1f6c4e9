using AgentFirm.Core;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Quant.Tests.Indicators;

internal delegate double[] ReferenceOutputs(ReadOnlySpan<Bar> history);

/// <summary>
/// One indicator under test: how to make it, how to read every output, the naive reference for the same
/// outputs, and the number of bars after which each output is first defined.
/// </summary>
internal sealed record IndicatorCase(
    string Name,
    Func<IBarIndicator> Create,
    Func<IBarIndicator, double[]> Read,
    ReferenceOutputs Reference,
    int[] WarmUps)
{
    public override string ToString() => Name;
}

internal static class IndicatorCatalog
{
    public static readonly IReadOnlyList<IndicatorCase> All =
    [
        new("sma20", () => new SimpleMovingAverage(20), i => [i.Value], h => [Naive.Sma(h, 20)], [20]),
        new("ema20", () => new ExponentialMovingAverage(20), i => [i.Value], h => [Naive.Ema(h, 20)], [20]),
        new("wma20", () => new WeightedMovingAverage(20), i => [i.Value], h => [Naive.Wma(h, 20)], [20]),
        new("rsi14", () => new RelativeStrengthIndex(14), i => [i.Value], h => [Naive.Rsi(h, 14)], [15]),
        new("macd", () => new MovingAverageConvergenceDivergence(),
            i => { var m = (MovingAverageConvergenceDivergence)i; return [m.Line, m.Signal, m.Histogram]; },
            h => { var m = Naive.Macd(h); return [m.Line, m.Signal, m.Histogram]; }, [26, 34, 34]),
        new("atr14", () => new AverageTrueRange(14), i => [i.Value], h => [Naive.Atr(h, 14)], [14]),
        new("bollinger", () => new BollingerBands(20, 2),
            i => { var b = (BollingerBands)i; return [b.Middle, b.Upper, b.Lower]; },
            h => { var b = Naive.Bollinger(h); return [b.Mid, b.Upper, b.Lower]; }, [20, 20, 20]),
        new("stochastic", () => new Stochastic(14, 3),
            i => { var s = (Stochastic)i; return [s.K, s.D]; },
            h => { var s = Naive.Stochastic(h); return [s.K, s.D]; }, [14, 16]),
        new("adx14", () => new AverageDirectionalIndex(14),
            i => { var a = (AverageDirectionalIndex)i; return [a.PlusDi, a.MinusDi, a.Value]; },
            h => { var a = Naive.Adx(h); return [a.PlusDi, a.MinusDi, a.Adx]; }, [15, 15, 28]),
        new("keltner", () => new KeltnerChannels(),
            i => { var k = (KeltnerChannels)i; return [k.Middle, k.Upper, k.Lower]; },
            h => { var k = Naive.Keltner(h); return [k.Mid, k.Upper, k.Lower]; }, [20, 20, 20]),
        new("obv", () => new OnBalanceVolume(), i => [i.Value], h => [Naive.Obv(h)], [1]),
        new("mfi14", () => new MoneyFlowIndex(14), i => [i.Value], h => [Naive.Mfi(h, 14)], [15]),
        new("vwap20", () => new RollingVwap(20), i => [i.Value], h => [Naive.Vwap(h, 20)], [20]),
        new("rv20", () => new RealisedVolatility(20), i => [i.Value], h => [Naive.RealisedVol(h)], [21]),
        new("parkinson20", () => new ParkinsonVolatility(20), i => [i.Value], h => [Naive.Parkinson(h)], [20]),
        new("garman_klass20", () => new GarmanKlassVolatility(20), i => [i.Value], h => [Naive.GarmanKlass(h)], [20]),
        new("vol_z20", () => new VolumeZScore(20), i => [i.Value], h => [Naive.VolumeZ(h)], [20]),
    ];

    public static IEnumerable<object[]> Names => All.Select(c => new object[] { c.Name });

    public static IndicatorCase Get(string name) => All.Single(c => c.Name == name);

    /// <summary>Close enough for double arithmetic done in a different order: 1e-8 relative, 1e-8 absolute below 1.</summary>
    public static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN (warm-up), got {actual:R}");
            return;
        }
        Assert.False(double.IsNaN(actual), $"{what}: expected {expected:R}, got NaN");
        var tolerance = 1e-8 * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
