using AgentFirm.Core;
using AgentFirm.Models.Sentiment;

namespace AgentFirm.Models.Tests.Sentiment;

public sealed class HeadlineSentimentIndexTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Headline H(double hours, string text, string? symbol = "BTC-USDT") => new(T0.AddHours(hours), text, null, "test", symbol);

    [Fact]
    public void Future_headlines_do_not_change_a_past_value()
    {
        var past = new[] { H(1, "BTC rallies"), H(5, "BTC slides after hack"), H(9, "Analysts turn bullish on BTC"), H(10, "Crypto lender pauses withdrawals", null) };
        var future = new[] { H(12, "BTC crash, total capitulation"), H(30, "BTC moon 🚀"), H(11.5, "late but still after the reading: rekt") };
        var before = new HeadlineSentimentIndex(new LexiconSentimentScorer(), headlines: past);
        var after = new HeadlineSentimentIndex(new LexiconSentimentScorer(), headlines: past.Concat(future).Reverse());

        for (var h = 0.0; h <= 11; h += 0.5)
        {
            var a = before.At("BTC-USDT", T0.AddHours(h));
            var b = after.At("BTC-USDT", T0.AddHours(h));
            Assert.Equal(a.Value, b.Value);
            Assert.Equal(a.Count, b.Count);
        }
        Assert.NotEqual(before.At("BTC-USDT", T0.AddHours(12)).Value, after.At("BTC-USDT", T0.AddHours(12)).Value);
    }

    [Fact]
    public void A_headline_counts_from_its_publish_time_until_the_window_ends()
    {
        var options = new SentimentIndexOptions(TimeSpan.FromHours(24), TimeSpan.FromHours(6), MarketWideWeight: 0);
        var index = new HeadlineSentimentIndex(new LexiconSentimentScorer(), options, [H(10, "BTC rallies")]);
        Assert.False(index.At("BTC-USDT", T0.AddHours(9.99)).HasValue);
        Assert.True(index.At("BTC-USDT", T0.AddHours(10)).HasValue);
        Assert.True(index.At("BTC-USDT", T0.AddHours(33.9)).HasValue);
        Assert.False(index.At("BTC-USDT", T0.AddHours(34)).HasValue);
        Assert.False(index.At("ETH-USDT", T0.AddHours(12)).HasValue);
    }

    [Fact]
    public void Weights_decay_with_age_and_favour_negative_news()
    {
        var scorer = new LexiconSentimentScorer();
        var good = scorer.Score("BTC rallies").Score;
        var bad = scorer.Score("BTC slides").Score;
        var options = new SentimentIndexOptions(TimeSpan.FromDays(2), TimeSpan.FromHours(12), NegativeWeight: 2, MarketWideWeight: 0);
        var index = new HeadlineSentimentIndex(scorer, options, [H(0, "BTC rallies"), H(12, "BTC slides")]);

        var reading = index.At("BTC-USDT", T0.AddHours(12));
        // the rally is one half-life old (weight 0.5), the slide is new and negative (weight 1 x 2)
        var expected = (0.5 * good + 2 * bad) / 2.5;
        Assert.Equal(expected, reading.Value, 12);
        Assert.Equal(2, reading.Count);
        Assert.Equal("BTC slides", reading.Contributors[0].Item.Headline.Text);
    }

    [Fact]
    public void Market_wide_headlines_count_with_their_own_weight()
    {
        var options = SentimentIndexOptions.Default with { MarketWideWeight = 0.25 };
        var index = new HeadlineSentimentIndex(new LexiconSentimentScorer(), options, [H(1, "Crypto market crash", null)]);
        var reading = index.At("ETH-USDT", T0.AddHours(1));
        Assert.True(reading.Value < 0);
        Assert.Equal(0.25 * options.NegativeWeight, reading.WeightSum, 12);
        Assert.False(new HeadlineSentimentIndex(new LexiconSentimentScorer(), options with { MarketWideWeight = 0 }, [H(1, "Crypto market crash", null)])
            .At("ETH-USDT", T0.AddHours(1)).HasValue);
    }

    [Fact]
    public void Bad_options_are_refused_with_a_message()
    {
        var e = Assert.Throws<BadInputException>(() => new HeadlineSentimentIndex(new LexiconSentimentScorer(), SentimentIndexOptions.Default with { HalfLife = TimeSpan.Zero }));
        Assert.Contains("half-life", e.Message);
        Assert.Throws<BadInputException>(() => new HeadlineSentimentIndex(new LexiconSentimentScorer(), SentimentIndexOptions.Default with { NegativeWeight = double.NaN }));
    }

    [Fact]
    public void Velocity_is_the_change_of_the_index_over_the_lag()
    {
        var index = new HeadlineSentimentIndex(new LexiconSentimentScorer(), headlines: [H(1, "BTC slides after hack"), H(20, "BTC rallies to a record high"), H(22, "Analysts turn bullish on BTC")]);
        var lag = TimeSpan.FromHours(12);
        var at = T0.AddHours(23);
        Assert.Equal(index.At("BTC-USDT", at).Value - index.At("BTC-USDT", at - lag).Value, index.Velocity("BTC-USDT", at, lag), 12);
        Assert.True(index.Velocity("BTC-USDT", at, lag) > 0);
        Assert.True(double.IsNaN(index.Velocity("BTC-USDT", T0.AddHours(2), lag))); // nothing known 12 h earlier
    }

    [Fact]
    public void A_text_weight_scales_its_pull_on_the_index()
    {
        var scorer = new LexiconSentimentScorer();
        var options = new SentimentIndexOptions(TimeSpan.FromDays(1), TimeSpan.FromDays(1), NegativeWeight: 1, MarketWideWeight: 0);
        var index = new HeadlineSentimentIndex(scorer, options);
        var up = H(0, "BTC rallies");
        var down = H(0, "BTC tumbles");
        index.Add(new ScoredHeadline(up, scorer.Score(up.Text), Weight: 3));
        index.Add(new ScoredHeadline(down, scorer.Score(down.Text), Weight: 1));
        var su = scorer.Score(up.Text).Score;
        var sd = scorer.Score(down.Text).Score;
        Assert.Equal((3 * su + sd) / 4, index.At("BTC-USDT", T0).Value, 12);
        Assert.Throws<ArgumentException>(() => index.Add(new ScoredHeadline(up, scorer.Score(up.Text), Weight: -1)));
    }
}
