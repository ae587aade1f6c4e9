using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Quant.Strategies;

/// <summary>
/// Long (an equal share of equity) while the fast SMA of closes is above the slow one, flat otherwise;
/// with <paramref name="allowShort"/> short instead of flat (needs a margined account or perpetuals).
/// </summary>
public sealed class SmaCross(int fast = 20, int slow = 50, bool allowShort = false) : IStrategy
{
    private readonly Dictionary<string, (SimpleMovingAverage Fast, SimpleMovingAverage Slow)> _averages = new();

    public string Name => $"sma-cross({fast},{slow})";

    public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        if (fast >= slow) throw new ArgumentException($"The fast period ({fast}) must be shorter than the slow one ({slow}).");
        var weight = 0.99 / context.Instruments.Count;
        foreach (var symbol in context.Updated)
        {
            if (!_averages.TryGetValue(symbol, out var sma))
                _averages[symbol] = sma = (new SimpleMovingAverage(fast), new SimpleMovingAverage(slow));
            var close = context.Bars(symbol).Latest.Close;
            sma.Fast.Update(close);
            sma.Slow.Update(close);
            if (!sma.Slow.IsReady) continue;
            var target = sma.Fast.Value > sma.Slow.Value ? weight : allowShort ? -weight : 0;
            context.RebalanceTo(symbol, target, tolerance: 0.02, tag: "sma-cross");
        }
        return ValueTask.CompletedTask;
    }
}
