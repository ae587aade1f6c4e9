using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Strategies;

/// <summary>Puts equal weights of equity into every instrument at the first decision after any warm-up, and holds.</summary>
public sealed class BuyAndHold : IStrategy
{
    private bool _invested;

    public string Name => "buyhold";

    public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        if (_invested || context.IsWarmingUp || context.Updated.Count < context.Instruments.Count) return ValueTask.CompletedTask;
        // Keep a small cash buffer so fees and the next bar's move don't make the orders unaffordable.
        var weight = 0.99 / context.Instruments.Count;
        foreach (var instrument in context.Instruments) context.RebalanceTo(instrument.Symbol, weight, tag: "buy-and-hold");
        _invested = true;
        return ValueTask.CompletedTask;
    }
}
