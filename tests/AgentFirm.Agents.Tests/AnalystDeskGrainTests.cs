using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Analysis;

namespace AgentFirm.Agents.Tests;

/// <summary>
/// The analyst desk answers the meta-controller for every analyst and the strategic agent in one call; it must say
/// exactly what the agents' own grains say, and drop only the analyst that fails.
/// </summary>
public sealed class AnalystDeskGrainTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    [Fact]
    public async Task The_desk_answers_with_the_views_and_regime_of_each_agents_own_grain()
    {
        // 560 daily steps: the strategic HMM (500 observations before its first fit) fits and filters in the span
        var (market, feed) = FirmCluster.SimulatedYear(seed: 5, days: 560);
        var desk = firm.Grains.GetGrain<IAnalystDeskGrain>("desk-same");
        IAnalystGrain[] alone =
        [
            firm.Grains.GetGrain<ITechnicalAnalystGrain>("desk-same-alone"), firm.Grains.GetGrain<ISentimentAnalystGrain>("desk-same-alone"),
            firm.Grains.GetGrain<IOnChainAnalystGrain>("desk-same-alone"), firm.Grains.GetGrain<ICausalFeatureGrain>("desk-same-alone"),
        ];
        var strategic = firm.Grains.GetGrain<IStrategicGrain>("desk-same-alone");
        var fitted = 0;
        var bars = market.Min(m => m.Bars.Count);
        for (var t = 0; t < bars; t++)
        {
            var time = market[0].Bars[t].CloseTime;
            var (headlines, series) = feed.Release(time);
            var update = new MarketUpdate(t + 1, time, market.Select(m => new SymbolBar(m.Instrument.Symbol, m.Bars[t])).ToArray(), headlines, series);

            var brief = await desk.BriefAsync(update);
            Assert.Empty(brief.Dropped);
            Assert.Equal(alone.Length, brief.Reports.Length);
            for (var a = 0; a < alone.Length; a++)
            {
                var own = await alone[a].AnalyseAsync(update);
                Assert.Equal(own.Agent, brief.Reports[a].Agent);
                Assert.Equal(own.Views.Select(Describe), brief.Reports[a].Views.Select(Describe));
            }
            var regime = await strategic.AssessAsync(update);
            Assert.Equal((regime.Regime, regime.RiskBudget, regime.Rationale, regime.Probabilities), (brief.Regime.Regime, brief.Regime.RiskBudget, brief.Regime.Rationale, brief.Regime.Probabilities));
            if (regime.Probabilities is { Normal: < 1 }) fitted++;
        }
        Assert.True(fitted > 0, "the regime model fitted within the span, so its probabilities were compared too");
    }

    [Fact]
    public async Task The_desk_tells_the_dashboard_how_many_texts_its_sentiment_pipeline_kept_and_dropped_and_why()
    {
        var (market, feed) = FirmCluster.SimulatedYear(seed: 7, days: 20);
        var desk = firm.Grains.GetGrain<IAnalystDeskGrain>("desk-pipeline");
        Assert.Null(await desk.SentimentPipelineAsync()); // nothing seated before the first step
        var fed = 0;
        for (var t = 0; t < market[0].Bars.Count; t++)
        {
            var time = market[0].Bars[t].CloseTime;
            var (headlines, series) = feed.Release(time);
            fed += headlines.Length;
            await desk.BriefAsync(new MarketUpdate(t + 1, time, market.Select(m => new SymbolBar(m.Instrument.Symbol, m.Bars[t])).ToArray(), headlines, series));
        }

        var counts = (await desk.SentimentPipelineAsync())!;
        Assert.True(fed > 0, "the simulated feed released headlines");
        Assert.Equal(fed, counts.Input);
        Assert.Equal(counts.Input, counts.Kept + counts.Dropped.Values.Sum()); // every text is kept or dropped for one reason
    }

    private static string Describe(AgentView v) =>
        $"{v.Agent}|{v.Symbol}|{v.AsOf:O}|{v.Direction:R}|{v.Confidence:R}|{v.Horizon}|{v.Rationale}|{string.Join(";", v.Evidence.Select(e => $"{e.Name}={e.Value:R}"))}";
}

/// <summary>A silo whose technical analyst consults a forecaster that always fails.</summary>
public sealed class BrokenForecasterCluster : FirmCluster
{
    protected override IForecastToolFactory? Forecaster => new BrokenForecasterFactory();

    private sealed class BrokenForecasterFactory : IForecastToolFactory
    {
        public IForecastTool Create() => new BrokenForecaster();
    }

    private sealed class BrokenForecaster : IForecastTool
    {
        public string Name => "broken";
        public void Observe(string symbol, in Bar bar) => throw new InvalidOperationException("forecaster offline");
        public ToolForecast? Forecast(string symbol) => null;
    }
}

public sealed class AnalystDeskFailureTests(BrokenForecasterCluster firm) : IClassFixture<BrokenForecasterCluster>
{
    [Fact]
    public async Task A_failing_analyst_is_dropped_while_the_others_and_the_strategic_agent_answer()
    {
        var (market, feed) = FirmCluster.SimulatedYear(seed: 6, days: 30);
        var desk = firm.Grains.GetGrain<IAnalystDeskGrain>("desk-broken");
        var time = market[0].Bars[0].CloseTime;
        var (headlines, series) = feed.Release(time);
        var brief = await desk.BriefAsync(new MarketUpdate(1, time, market.Select(m => new SymbolBar(m.Instrument.Symbol, m.Bars[0])).ToArray(), headlines, series));

        Assert.Equal(["technical"], brief.Dropped);
        Assert.Equal(["sentiment", "onchain", "causal"], brief.Reports.Select(r => r.Agent));
        Assert.DoesNotContain("unavailable", brief.Regime.Rationale);
    }
}
