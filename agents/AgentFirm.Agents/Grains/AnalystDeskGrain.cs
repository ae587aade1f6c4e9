using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Hosting;
using AgentFirm.Causal;
using AgentFirm.Core;
using AgentFirm.Llm;
using AgentFirm.Models.Sentiment;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.OnChain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The analysts the firm consults (technical, sentiment, on-chain, causal) and the strategic agent, each the
/// same role object its own grain runs, answering the meta-controller in one call per step: a grain hop costs
/// more than most analysts' arithmetic, so one hop replaces five. An analyst that throws is dropped for the
/// step (and says why in the log); a failing strategic agent leaves a turbulent-market fallback, as before.
/// An analyst configured with a model mind (AgentFirm:Minds) then reviews its quantitative views; the minds'
/// calls run in parallel, and a mind that abstains leaves its analyst's quantitative views standing.
/// </summary>
public sealed class AnalystDeskGrain(
    IServiceProvider services,
    SentimentScorerSource sentiment,
    StrategicSettings strategic,
    IOptions<FirmOptions> options,
    FirmMinds minds,
    ILogger<AnalystDeskGrain> logger) : Grain, IAnalystDeskGrain
{
    private (string Name, Func<MarketUpdate, AnalystReport> Analyse)[]? _analysts;
    private StrategicRole? _strategic;
    private SentimentAnalystRole? _sentiment;

    public Task<AnalystBrief> BriefWarmUpAsync(MarketUpdate update) => Task.FromResult(Quantitative(update));

    public async Task<AnalystBrief> BriefAsync(MarketUpdate update)
    {
        var brief = Quantitative(update);
        if (minds.Analysts.Count == 0) return brief;
        return brief with { Reports = await ConsultMindsAsync(update, brief.Reports) };
    }

    /// <summary>Each report whose analyst has a model mind goes to it; all minds are asked at once and awaited together.</summary>
    private async Task<AnalystReport[]> ConsultMindsAsync(MarketUpdate update, AnalystReport[] reports)
    {
        var prices = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var bar in update.Bars) prices[bar.Symbol] = bar.Bar.Close;
        var reviews = reports.Select(report => minds.Analysts.TryGetValue(report.Agent, out var mind) && report.Views.Length > 0
            ? ReviewAsync(mind, report, new AnalystBriefing(report.Agent, update.Time, report.Views, prices, update.Headlines))
            : Task.FromResult(report)).ToArray();
        return await Task.WhenAll(reviews);
    }

    private static async Task<AnalystReport> ReviewAsync(IAnalystMind mind, AnalystReport report, AnalystBriefing briefing)
    {
        var opinion = await mind.ReviewAsync(briefing, CancellationToken.None);
        return report with { Views = opinion.Views.ToArray() };
    }

    private AnalystBrief Quantitative(MarketUpdate update)
    {
        _analysts ??= Seat();
        _strategic ??= new StrategicRole(strategic);
        var reports = new List<AnalystReport>(_analysts.Length);
        List<string>? dropped = null;
        foreach (var (name, analyse) in _analysts)
        {
            try
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var report = analyse(update);
                reports.Add(report with { Millis = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds });
            }
            catch (Exception ex)
            {
                (dropped ??= []).Add(name);
                logger.LogWarning("Step {Step}: dropped analyst {Analyst}: {Reason}", update.Step, name, ex.GetBaseException().Message);
            }
        }
        RegimeAssessment regime;
        try
        {
            regime = _strategic.Assess(update);
        }
        catch (Exception ex)
        {
            logger.LogWarning("Step {Step}: strategic agent failed: {Reason}", update.Step, ex.GetBaseException().Message);
            regime = MetaControllerGrain.RegimeFallback;
        }
        return new AnalystBrief(reports.ToArray(), dropped?.ToArray() ?? [], regime);
    }

    public Task<TextPipelineCounts?> SentimentPipelineAsync() => Task.FromResult(_sentiment?.Counts);

    /// <summary>The consulted analysts in the firm's fixed order (technical, sentiment, on-chain, causal).</summary>
    private (string, Func<MarketUpdate, AnalystReport>)[] Seat()
    {
        var o = options.Value;
        var seats = new List<(string, Func<MarketUpdate, AnalystReport>)>(4);
        if (o.Consults(TechnicalAnalyst.AgentName)) seats.Add((TechnicalAnalyst.AgentName, TechnicalAnalystRole.From(services).Analyse));
        if (o.Consults(SentimentAnalyst.AgentName)) seats.Add((SentimentAnalyst.AgentName, (_sentiment = new SentimentAnalystRole(sentiment)).Analyse));
        if (o.Consults(OnChainAnalyst.AgentName)) seats.Add((OnChainAnalyst.AgentName, new OnChainAnalystRole().Analyse));
        if (o.Consults(CausalFeatureAnalyst.AgentName)) seats.Add((CausalFeatureAnalyst.AgentName, new CausalFeatureRole().Analyse));
        return seats.ToArray();
    }
}
