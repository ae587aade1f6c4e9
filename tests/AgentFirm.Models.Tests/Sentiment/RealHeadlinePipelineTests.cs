using AgentFirm.Market.Data;
using AgentFirm.Models.Sentiment;
using AgentFirm.Models.Sentiment.Text;
using AgentFirm.TestSupport;
using Xunit.Abstractions;

namespace AgentFirm.Models.Tests.Sentiment;

public sealed class RealHeadlinePipelineTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Crypto_news_headlines_pass_through_the_pipeline_and_the_index()
    {
        var path = SharedData.RequireFile("text/crypto_news_headlines_2020_2022.csv");
        var headlines = HeadlineCsvLoader.Load(path).Headlines;
        var options = new TextPipelineOptions();
        var pipeline = new TextPipeline(new LexiconSentimentScorer(), options);
        var batch = pipeline.Process(headlines.Select(h => new SocialPost(h)));
        output.WriteLine(pipeline.Report.ToString());

        Assert.Equal(headlines.Count, pipeline.Report.Input);
        Assert.Equal(pipeline.Report.Input, pipeline.Report.Kept + pipeline.Report.DroppedTotal);
        // The source searched several coin keywords, so one story often appears under two keywords: those are dropped.
        Assert.True(pipeline.Report.DroppedFor(DropReason.ExactDuplicate) + pipeline.Report.DroppedFor(DropReason.NearDuplicate) > 0);
        Assert.True(pipeline.Report.Kept > headlines.Count / 2);
        var index = new HeadlineSentimentIndex(new LexiconSentimentScorer(), new SentimentIndexOptions(TimeSpan.FromDays(7), TimeSpan.FromDays(2), MarketWideWeight: 1));
        foreach (var k in batch.Kept) index.Add(k);
        var reading = index.At("BTC-USDT", headlines[^1].Time);
        Assert.True(reading.HasValue);
        Assert.InRange(reading.Value, -1, 1);
    }
}
