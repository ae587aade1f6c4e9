using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Strategies;

/// <summary>
/// Volatility-targeted buy-and-hold, the risk-scaled passive benchmark: every asset held long with weight
/// (target / N) / sigma_i, where sigma_i is its annualised realised volatility (sample deviation of the
/// last <paramref name="lookback"/> log returns, closes known now only) and N the number of assets, so
/// each asset carries an equal share of the book's volatility target. The weights are scaled down
/// together when their sum would pass <paramref name="maxGross"/> (0.99: a cash account keeps a buffer
/// for fees, as <see cref="BuyAndHold"/> does). A position is moved only when it is off its target by
/// more than <paramref name="band"/> of the target (relative), so the daily wobble of sigma does not churn
/// fees. An asset waits until it has <paramref name="lookback"/> returns.
/// </summary>
public sealed class VolatilityTargetedHold(double target = 0.20, int lookback = 30, double band = 0.25, double maxGross = 0.99) : IStrategy
{
    public string Name => $"voltarget({target:0.##},{lookback})";

    public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        if (!(target > 0) || lookback < 2 || !(band >= 0) || !(maxGross > 0))
            throw new ArgumentException($"voltarget needs target > 0, lookback >= 2, band >= 0 and max gross > 0; got {target}, {lookback}, {band}, {maxGross}.");
        if (context.IsWarmingUp || context.Updated.Count == 0) return ValueTask.CompletedTask;

        var instruments = context.Instruments;
        var weights = new double?[instruments.Count];
        var perAsset = target / instruments.Count;
        for (var i = 0; i < instruments.Count; i++)
        {
            var bars = context.Bars(instruments[i].Symbol);
            if (bars.Count <= lookback) continue;
            var sigma = AnnualisedVolatility(bars, lookback);
            weights[i] = sigma > 0 ? perAsset / sigma : 0;
        }
        var gross = weights.Sum(w => w ?? 0);
        var scale = gross > maxGross ? maxGross / gross : 1;

        var equity = context.Portfolio.Equity;
        if (!(equity > 0)) return ValueTask.CompletedTask;
        // Sells first: in a cash account a buy needs the cash the sells free up.
        var moves = new List<(string Symbol, double Weight, double Delta)>();
        for (var i = 0; i < instruments.Count; i++)
        {
            if (weights[i] is not { } raw) continue;
            var symbol = instruments[i].Symbol;
            var price = context.Portfolio.MarkPrice(symbol);
            if (!(price > 0)) continue;
            var wanted = raw * scale;
            var held = context.Portfolio.PositionQuantity(symbol) * price / equity;
            if (Math.Abs(held - wanted) <= band * wanted) continue;
            moves.Add((symbol, wanted, wanted - held));
        }
        foreach (var (symbol, weight, _) in moves.OrderBy(m => m.Delta))
            context.RebalanceTo(symbol, weight, tolerance: 0, tag: "vol-target");
        return ValueTask.CompletedTask;
    }

    /// <summary>Sample standard deviation of the last <paramref name="lookback"/> log returns of closes, times sqrt(periods per year).</summary>
    internal static double AnnualisedVolatility(Core.AsOfSeries<Core.Bar> bars, int lookback)
    {
        double LogReturn(int k) => Math.Log(bars.Ago(k).Close / bars.Ago(k + 1).Close);
        double mean = 0;
        for (var k = 0; k < lookback; k++) mean += LogReturn(k);
        mean /= lookback;
        double ss = 0;
        for (var k = 0; k < lookback; k++) ss += (LogReturn(k) - mean) * (LogReturn(k) - mean);
        var periodsPerYear = new Core.Timeframe(bars.Latest.Duration).PeriodsPerYear;
        return Math.Sqrt(ss / (lookback - 1) * periodsPerYear);
    }
}
