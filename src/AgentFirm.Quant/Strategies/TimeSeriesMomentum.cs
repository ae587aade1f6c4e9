using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Strategies;

/// <summary>
/// Time-series momentum (Moskowitz, Ooi &amp; Pedersen, 2012): long while the return over the last
/// <paramref name="lookback"/> bars is positive, flat otherwise.
/// </summary>
public sealed class TimeSeriesMomentum(int lookback = 30) : IStrategy
{
    public string Name => $"momentum({lookback})";

    public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        var weight = 0.99 / context.Instruments.Count;
        foreach (var symbol in context.Updated)
        {
            var bars = context.Bars(symbol);
            if (bars.Count <= lookback) continue;
            var change = bars.Latest.Close / bars.Ago(lookback).Close - 1;
            context.RebalanceTo(symbol, change > 0 ? weight : 0, tolerance: 0.02, tag: "momentum");
        }
        return ValueTask.CompletedTask;
    }
}
