using AgentFirm.Core;
using AgentFirm.Dashboard.Components.Firm;
using AgentFirm.Dashboard.Components.Pages;
using AgentFirm.Dashboard.Model;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace AgentFirm.Dashboard.Tests;

/// <summary>
/// Steps whose views carry the evidence the analysts write (names and notes as CausalFeatureAnalyst,
/// SentimentAnalyst and OnChainAnalyst write them), with regime probabilities; BTC-USDT only.
/// </summary>
internal sealed class MarketFirmMonitor(int steps) : IFirmMonitor
{
    private static readonly DateTimeOffset Origin = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public FirmSnapshot Current => FirmSnapshot.Empty;
    public IReadOnlyList<BacktestRunSummary> Backtests => [];
    public event Action? Changed { add { } remove { } }

    public IReadOnlyList<DecisionStepRow> HeldDecisions { get; } = Enumerable.Range(0, steps).Reverse().Select(i => Step(i, steps)).ToArray();

    public Task<TextPipelineSummary?> SentimentPipelineAsync() => Task.FromResult<TextPipelineSummary?>(
        new TextPipelineSummary(120, 97, 4, new Dictionary<string, int> { ["NearDuplicate"] = 15, ["LinkSpam"] = 8 }));

    /// <summary>Step i: density 0.1 + 0.001 i, sentiment 0.01 i, MVRV Z 2 - 0.01 i; calm fading into crisis.</summary>
    private static DecisionStepRow Step(int i, int steps)
    {
        var at = Origin.AddHours(i);
        var h = TimeSpan.FromHours(24);
        AgentView[] views =
        [
            new("causal", "BTC-USDT", at, 0.2, 0.5, h,
            [
                new Evidence("network_density", 0.1 + 0.001 * i, "share of significant lagged links in the PCMCI network"),
                new Evidence("ETH-USDT_ret[t-2]", 1.5, "corr +0.210, p 1.0e-3, n 400; z of the value leading the next step"),
                new Evidence("funding[t-1]", -0.7, "corr -0.350, p 2.0e-4, n 400; z of the value leading the next step"),
            ], "2 causal parent(s) of BTC-USDT's return."),
            new("sentiment", "BTC-USDT", at, 0.1, 0.4, h,
            [
                new Evidence("sentiment_index", 0.01 * i),
                new Evidence("sentiment_velocity", 0.002),
                new Evidence("rvs", -0.3),
                new Evidence("headline_score", 0.8, "w=0.52 2026-03-01T10:00Z \"ETF inflows hit a record\""),
                new Evidence("headline_score", -0.4, "w=0.31 2026-03-01T09:00Z \"exchange outage\" (public figure neutralised)"),
            ], "Headline sentiment +0.30 from 12 headlines."),
            new("onchain", "BTC-USDT", at, -0.2, 0.6, h,
            [
                new Evidence("mvrv_z", 2 - 0.01 * i, "(market cap - realised cap) / expanding std of market cap; regime overvalued (over >= 1.5, under <= -0.5)"),
                new Evidence("sopr_mean", 1.02),
                new Evidence("netflow_pressure_z", 0.9),
            ], "On-chain -0.20: valuation overvalued."),
        ];
        var calm = 1 - i / (double)(steps + 1);
        return new DecisionStepRow(i, at, views, new Dictionary<string, double>(), [], [], Regime.Normal)
        {
            Odds = new RegimeOdds(calm, (1 - calm) / 2, (1 - calm) / 4, (1 - calm) / 4),
        };
    }
}

/// <summary>The market page reads the analysts' evidence into series, the causal graph, texts, valuation and regime odds.</summary>
public sealed class MarketIntelligenceTests
{
    [Fact]
    public void Series_run_oldest_first_with_the_values_each_analyst_reported_at_that_step()
    {
        var held = new MarketFirmMonitor(30).HeldDecisions;
        var r = MarketIntelligence.From(held, "BTC-USDT");

        Assert.Equal(held[^1].Time, r.Times[0]);
        Assert.Equal(0.1 + 0.001 * 29, r.NetworkDensity[^1], 12);
        Assert.Equal(0.29, r.SentimentIndex[^1], 12);
        Assert.Equal(2 - 0.29, r.MvrvZ[^1], 12);
        Assert.Equal("overvalued", r.ValuationRegime);
        Assert.Equal(1.0, r.Odds[^1]!.Calm + r.Odds[^1]!.Normal + r.Odds[^1]!.Turbulent + r.Odds[^1]!.Crisis, 12);
        Assert.Equal(["BTC-USDT"], MarketIntelligence.Symbols(held));
    }

    [Fact]
    public void Causal_links_carry_driver_lag_and_strength_strongest_first_and_density_is_not_a_link()
    {
        var r = MarketIntelligence.From(new MarketFirmMonitor(3).HeldDecisions, "BTC-USDT");
        Assert.Equal([("funding", 1, -0.35), ("ETH-USDT_ret", 2, 0.21)], r.Links.Select(l => (l.Driver, l.Lag, l.Strength)));
        Assert.Null(MarketIntelligence.ParseLink(new Evidence("network_density", 0.2)));
    }

    [Fact]
    public void The_graph_keeps_the_newest_parents_found_when_the_last_step_found_none()
    {
        var held = new MarketFirmMonitor(5).HeldDecisions.ToList();
        var latest = held[0];
        var causal = latest.Views.Single(v => v.Agent == "causal");
        var noParents = causal with { Evidence = [causal.Evidence[0]], Rationale = "Causal screen: no driver leads the return significantly." };
        held[0] = latest with { Views = latest.Views.Select(v => v == causal ? noParents : v).ToArray() };

        var r = MarketIntelligence.From(held, "BTC-USDT");
        Assert.Equal(2, r.Links.Count);
        Assert.Equal(held[1].Time, r.LinksAsOf);
        Assert.StartsWith("Causal screen: no driver", r.CausalRationale);
    }

    [Fact]
    public void A_symbol_no_analyst_covers_reads_as_empty_series()
    {
        var r = MarketIntelligence.From(new MarketFirmMonitor(5).HeldDecisions, "SOL-USDT");
        Assert.All(r.SentimentIndex, v => Assert.True(double.IsNaN(v)));
        Assert.Empty(r.Links);
        Assert.Null(r.ValuationRegime);
    }
}

/// <summary>bUnit: the market page and its causal graph.</summary>
public sealed class MarketPageTests : MudTestContext
{
    public MarketPageTests()
    {
        ctx.Services.AddSingleton<IFirmMonitor>(new MarketFirmMonitor(40));
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public void The_page_draws_the_graph_the_charts_the_top_texts_with_drop_reasons_and_the_valuation_regime()
    {
        var cut = ctx.Render<Market>();

        Assert.Equal(2, cut.FindAll("[data-testid=causal-edge]").Count);
        foreach (var chart in new[] { "market-density-chart", "market-sentiment-chart", "market-onchain-chart", "market-regime-chart" })
            Assert.NotEmpty(cut.FindAll($"[data-testid={chart}] svg"));
        Assert.Contains("ETF inflows hit a record", cut.FindAll("[data-testid=market-text]")[0].TextContent);
        cut.WaitForAssertion(() => Assert.Contains("120 texts in, 97 kept", cut.Find("[data-testid=market-pipeline]").TextContent));
        Assert.Equal(["near duplicate 15", "link spam 8"], cut.FindAll("[data-testid=market-drop]").Select(c => c.TextContent.Trim()));
        Assert.Equal("overvalued", cut.Find("[data-testid=market-valuation]").TextContent);
    }

    [Fact]
    public void Edges_are_labelled_with_lag_and_strength_and_drawn_thicker_when_stronger()
    {
        var links = new[] { new CausalLink("funding", 1, -0.4, 0.3, ""), new CausalLink("volume", 3, 0.1, 1.2, "") };
        var cut = ctx.Render<CausalGraph>(p => p.Add(c => c.Symbol, "BTC-USDT").Add(c => c.Links, links));

        var edges = cut.FindAll("[data-testid=causal-edge]");
        Assert.Contains("lag 1 · -0.40", edges[0].TextContent);
        double Width(int i) => double.Parse(edges[i].QuerySelector("line")!.GetAttribute("stroke-width")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Width(0) > Width(1));
        Assert.Equal("#e53935", edges[0].QuerySelector("line")!.GetAttribute("stroke"));
    }
}

/// <summary>bUnit: the overview lists the firm's PnL by agent when the host splits it.</summary>
public sealed class OverviewAttributionTests : MudTestContext
{
    private sealed class SplitMonitor(SampleFirmMonitor sample) : IFirmMonitor
    {
        public FirmSnapshot Current => sample.Current with
        {
            PnlByAgent = new Dictionary<string, double> { ["technical"] = 1_250.5, ["sentiment"] = -300, [PnlAttribution.Unattributed] = 49.5 },
        };
        public IReadOnlyList<BacktestRunSummary> Backtests => [];
        public event Action? Changed { add { } remove { } }
    }

    [Fact]
    public void The_overview_shows_each_agents_part_of_the_firms_pnl_and_the_total()
    {
        ctx.Services.AddSingleton<IFirmMonitor>(new SplitMonitor(new SampleFirmMonitor()));
        ctx.SetRendererInfo(new RendererInfo("Server", isInteractive: false));
        var cut = ctx.Render<Overview>();

        Assert.Equal(["technical 1,250.50", "unattributed 49.50", "sentiment -300.00"], cut.FindAll("[data-testid=pnl-agent]").Select(c => c.TextContent.Trim()));
        Assert.Contains("total 1,000.00", cut.Find("[data-testid=pnl-attribution]").TextContent);
    }
}
