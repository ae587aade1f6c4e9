using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.OnChain;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The on-chain analyst: collects the valuation, profit-taking, exchange-flow and activity series of each asset
/// as they become known ("SYMBOL:mvrv", "SYMBOL:market_cap", "SYMBOL:sopr", ...; see <see cref="OnChainSeriesNames"/>)
/// and applies its rules.
/// </summary>
public sealed class OnChainAnalystRole
{
    private readonly OnChainAnalyst _analyst = new();

    public AnalystReport Analyse(MarketUpdate update)
    {
        OnChainSeriesFeed.AppendTo(_analyst, update.Series);
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++) views[i] = _analyst.Assess(update.Bars[i].Symbol, update.Time);
        return new AnalystReport(OnChainAnalyst.AgentName, views);
    }
}

/// <summary>The on-chain analyst on its own (the firm consults it through <see cref="AnalystDeskGrain"/>).</summary>
public sealed class OnChainAnalystGrain : Grain, IOnChainAnalystGrain
{
    private readonly OnChainAnalystRole _role = new();

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update) => Task.FromResult(_role.Analyse(update));
}
