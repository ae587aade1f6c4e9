using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Agents.Tests;

/// <summary>The causal-feature grain keeps re-screening as bars arrive and finds a planted driver.</summary>
public sealed class CausalFeatureGrainTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    [Fact]
    public async Task The_grain_rescreens_over_time_and_cites_the_planted_netflow()
    {
        var sim = new MarketSimulator(new SimulatorOptions
        {
            Seed = 3, Days = 400, Timeframe = Timeframe.Day, SentimentStrength = 0, Assets = [AssetProfile.For("BTC-USDT")],
            OnChain = new OnChainSettings(MvrvStrength: 0, NetflowStrength: 0.35, ActiveAddressStrength: 0),
        }).Run();
        var btc = sim["BTC-USDT"];
        var released = btc.OnChain.ToDictionary(o => o.KnownAt);
        var grain = firm.Grains.GetGrain<ICausalFeatureGrain>("causal-rescreen");
        var cited = 0;
        var distinct = new HashSet<double>();
        for (var d = 0; d < btc.Bars.Count; d++)
        {
            var bar = btc.Bars[d];
            SeriesPoint[] series = released.TryGetValue(bar.CloseTime, out var row) && row.ExchangeNetflow is { } flow
                ? [new SeriesPoint("BTC-USDT:exchange_netflow", row.KnownAt, flow)]
                : [];
            var report = await grain.AnalyseAsync(new MarketUpdate(d, bar.CloseTime, [new SymbolBar("BTC-USDT", bar)], [], series));
            var view = report.Views.Single();
            if (d < 300) continue;
            distinct.Add(view.Direction);
            if (view.Evidence.Any(e => e.Name == "BTC-USDT:exchange_netflow[t-1]")) cited++;
        }
        // netflow of day d lowers the return of day d + 1 (simulator README); the window holds 250 days
        Assert.True(cited > 60, $"planted netflow cited in {cited} of the last 100 views");
        Assert.True(distinct.Count > 5, "the view changes as the grain re-screens"); // a grain that never re-screens repeats itself
    }
}
