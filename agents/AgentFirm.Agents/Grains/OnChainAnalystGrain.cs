using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.OnChain;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The on-chain analyst: collects the valuation, exchange-flow and activity series of each asset as they
/// become known ("SYMBOL:mvrv", "SYMBOL:exchange_netflow", "SYMBOL:active_addresses") and applies its rules.
/// </summary>
public sealed class OnChainAnalystGrain : Grain, IOnChainAnalystGrain
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(1);
    private readonly OnChainAnalyst _analyst = new();

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update)
    {
        // Points released together for one asset and one publication time form one observation.
        foreach (var group in update.Series.GroupBy(p => (Symbol: SymbolOf(p.Series), p.KnownAt)))
        {
            if (group.Key.Symbol is null) continue;
            double? Metric(string name) => group.FirstOrDefault(p => p.Series.EndsWith(":" + name, StringComparison.Ordinal)) is { } p && double.IsFinite(p.Value) ? p.Value : null;
            _analyst.Append(group.Key.Symbol, new OnChainObservation(group.Key.KnownAt - Period, group.Key.KnownAt, Metric("mvrv"), Metric("exchange_netflow"), Metric("active_addresses")));
        }
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++) views[i] = _analyst.Assess(update.Bars[i].Symbol, update.Time);
        return Task.FromResult(new AnalystReport(OnChainAnalyst.AgentName, views));
    }

    private static string? SymbolOf(string series)
    {
        var colon = series.IndexOf(':');
        return colon > 0 ? series[..colon] : null;
    }
}
