using System.Text.Json.Nodes;
using AgentFirm.Models.Sentiment;

namespace AgentFirm.Bench;

/// <summary>`lexicon`: texts per second through the built-in crypto lexicon scorer, one thread, real headlines.</summary>
internal static class LexiconBenchmark
{
    public static JsonObject Run()
    {
        var (texts, source) = SentimentBenchData.Headlines();
        var scorer = new LexiconSentimentScorer();
        double sink = 0;
        var best = Measure.Best(() =>
        {
            foreach (var text in texts) sink += scorer.Score(text.AsSpan()).Score;
        }, TimeSpan.FromSeconds(3));
        return new JsonObject
        {
            ["bench"] = "lexicon",
            ["data"] = source,
            ["texts"] = texts.Length,
            ["mean_chars"] = Math.Round(texts.Average(t => t.Length), 1),
            ["seconds"] = Math.Round(best.BestSeconds, 6),
            ["texts_per_s"] = Math.Round(texts.Length / best.BestSeconds),
            ["goal_texts_per_s"] = 200_000,
            ["threads"] = 1,
            ["runs"] = best.Runs,
            ["checksum"] = double.IsFinite(sink) ? 1 : 0,
        };
    }
}
