using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Models.Sentiment;
using AgentFirm.Models.Sentiment.Text;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The sentiment analyst: headlines go through the text pipeline (dedup, bot and spam filters, public-figure
/// neutralisation) and the configured model (AgentFirm:Sentiment:Model) into an as-of index; the view is the
/// index with the relative-volume filter, explained by the top-weighted texts. Headline text is data here,
/// never instructions.
/// </summary>
public sealed class SentimentAnalystRole(SentimentScorerSource model)
{
    private readonly SentimentAgent _agent = new(model.Settings, model.Scorer);

    public TextPipelineCounts Counts
    {
        get
        {
            var r = _agent.Report;
            return new TextPipelineCounts(r.Input, r.Kept, r.Neutralised, r.Dropped.ToDictionary(d => d.Key.ToString(), d => d.Value));
        }
    }

    public AnalystReport Analyse(MarketUpdate update)
    {
        if (update.Headlines.Length > 0) _agent.Ingest(update.Headlines.Select(h => new SocialPost(h)));
        foreach (var bar in update.Bars) _agent.OnBar(bar.Symbol, bar.Bar);
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++) views[i] = _agent.Assess(update.Bars[i].Symbol, update.Time);
        return new AnalystReport(SentimentAnalyst.AgentName, views);
    }
}

/// <summary>The sentiment analyst on its own (the firm consults it through <see cref="AnalystDeskGrain"/>).</summary>
public sealed class SentimentAnalystGrain(SentimentScorerSource model) : Grain, ISentimentAnalystGrain
{
    private readonly SentimentAnalystRole _role = new(model);

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update) => Task.FromResult(_role.Analyse(update));
}
