using AgentFirm.Core;
using AgentFirm.Models.Sentiment;
using AgentFirm.Models.Sentiment.Text;

namespace AgentFirm.Models.Tests.Sentiment;

public sealed class SentimentAgentTests
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private static SocialPost P(double hours, string text) => new Headline(T0.AddHours(hours), text, null, "test", "BTC-USDT");

    private static Bar B(int day, double volume) => new(T0.AddDays(day - 8), TimeSpan.FromDays(1), 100, 101, 99, 100 + day % 3, volume);

    [Fact]
    public void The_view_is_explained_by_the_top_weighted_texts_and_duplicates_count_once()
    {
        var agent = new SentimentAgent(new SentimentAgentSettings { VolumeFilter = false });
        agent.Ingest([P(-5, "BTC rallies as ETF inflows surge"), P(-4, "BTC rallies as ETF inflows surge"), P(-3, "Miners dump BTC, price tumbles"), P(-2, "Elon Musk tweets about BTC moon")]);
        var view = agent.Assess("BTC-USDT", T0);
        Assert.Equal(3, view.Evidence.Single(e => e.Name == "headline_count").Value);
        var quoted = view.Evidence.Where(e => e.Name == "headline_score").Select(e => e.Note!).ToList();
        Assert.Contains(quoted, q => q.Contains("ETF inflows"));
        var musk = view.Evidence.Single(e => e.Note?.Contains("Musk tweets") == true);
        Assert.Equal(0, musk.Value); // neutralised, and the evidence says why
        Assert.Contains("neutralised: mentions Elon Musk", musk.Note);
        Assert.Equal(1, agent.Report.DroppedFor(DropReason.ExactDuplicate));
        Assert.Equal(1, agent.Report.Neutralised);
    }

    [Fact]
    public void Volume_against_the_sentiment_means_cash()
    {
        var settings = new SentimentAgentSettings { VolumeFilter = true, VolumeBaselineBars = 7 };
        var rising = new SentimentAgent(settings);
        var falling = new SentimentAgent(settings);
        foreach (var agent in new[] { rising, falling }) agent.Ingest([P(-3, "BTC rallies to a record high as buyers return")]);
        for (var d = 0; d < 7; d++) { rising.OnBar("BTC-USDT", B(d, 100)); falling.OnBar("BTC-USDT", B(d, 100)); }
        rising.OnBar("BTC-USDT", B(7, 300));
        falling.OnBar("BTC-USDT", B(7, 30));
        var up = rising.Assess("BTC-USDT", T0);
        var down = falling.Assess("BTC-USDT", T0);
        Assert.True(up.Direction > 0);
        Assert.Equal(0, down.Direction);
        Assert.Contains("cash", down.Rationale);
        Assert.True(down.Evidence.Single(e => e.Name == "rvs").Value < 0);
    }

    [Fact]
    public void Texts_after_the_decision_time_never_change_the_view()
    {
        var settings = new SentimentAgentSettings { VolumeFilter = false };
        var a = new SentimentAgent(settings);
        var b = new SentimentAgent(settings);
        a.Ingest([P(-6, "BTC slides after exchange hack"), P(-1, "BTC rebounds strongly")]);
        b.Ingest([P(-6, "BTC slides after exchange hack"), P(-1, "BTC rebounds strongly"), P(0.5, "BTC crash: total capitulation, rekt"), P(3, "BTC to the moon 🚀")]);
        Assert.Equal(a.Assess("BTC-USDT", T0), b.Assess("BTC-USDT", T0), new ViewComparer());
    }

    private sealed class ViewComparer : IEqualityComparer<AgentView>
    {
        public bool Equals(AgentView? x, AgentView? y) =>
            x!.Direction == y!.Direction && x.Confidence == y.Confidence && x.Rationale == y.Rationale &&
            x.Evidence.Select(e => (e.Name, e.Value, e.Note)).SequenceEqual(y.Evidence.Select(e => (e.Name, e.Value, e.Note)));

        public int GetHashCode(AgentView obj) => 0;
    }
}
