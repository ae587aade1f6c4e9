using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Hosting;
using AgentFirm.Causal;
using AgentFirm.Core;
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
/// </summary>
public sealed class AnalystDeskGrain(
    IServiceProvider services,
    SentimentScorerSource sentiment,
    StrategicSettings strategic,
    IOptions<FirmOptions> options,
    ILogger<AnalystDeskGrain> logger) : Grain, IAnalystDeskGrain
{
    private (string Name, Func<MarketUpdate, AnalystReport> Analyse)[]? _analysts;
    private StrategicRole? _strategic;
    private SentimentAnalystRole? _sentiment;

    public Task<AnalystBrief> BriefAsync(MarketUpdate update)
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
        return Task.FromResult(new AnalystBrief(reports.ToArray(), dropped?.ToArray() ?? [], regime));
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
