using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Models.Sentiment;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The sentiment analyst: scores each headline once as it arrives (the crypto lexicon for now) and reads
/// an as-of, recency-weighted sentiment index per asset. Headline text is data here, never instructions.
/// </summary>
public sealed class SentimentAnalystGrain : Grain, ISentimentAnalystGrain
{
    private readonly HeadlineSentimentIndex _index = new(new LexiconSentimentScorer());
    private readonly SentimentAnalyst _analyst;

    public SentimentAnalystGrain() => _analyst = new SentimentAnalyst(_index);

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update)
    {
        foreach (var headline in update.Headlines) _index.Add(headline);
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++) views[i] = _analyst.Assess(update.Bars[i].Symbol, update.Time);
        return Task.FromResult(new AnalystReport(SentimentAnalyst.AgentName, views));
    }
}
