using AgentFirm.Core;
using AgentFirm.Models.Sentiment;
using AgentFirm.Models.Sentiment.Text;

namespace AgentFirm.Models.Tests.Sentiment;

public sealed class TextNormaliserTests
{
    [Fact]
    public void Links_are_removed_and_counted()
    {
        var n = new TextNormaliser().Normalise("BTC breaks out https://t.co/abc123 see www.example.com/x now");
        Assert.Equal("BTC breaks out see now", n.Text);
        Assert.Equal(2, n.UrlCount);
        Assert.Equal(5, n.WordCount);
    }

    [Fact]
    public void A_link_can_become_a_token()
    {
        var n = new TextNormaliser(new TextNormaliserOptions(UrlToken: "URL")).Normalise("read http://x.io/a");
        Assert.Equal("read URL", n.Text);
    }

    [Fact]
    public void Cashtags_become_asset_mentions()
    {
        var n = new TextNormaliser().Normalise("$btc and $ETH up, $SOL. Paid $100 for it");
        Assert.Equal(["BTC", "ETH", "SOL"], n.Cashtags);
        Assert.Equal("BTC and ETH up, SOL. Paid $100 for it", n.Text);
    }

    [Fact]
    public void Crypto_emojis_become_words_the_lexicon_scores()
    {
        var n = new TextNormaliser().Normalise("BTC🚀🌙 but ETH 📉💀 and 📈 🔥");
        Assert.Equal("BTC moon moon but ETH dump rekt and pump lit", n.Text);
        var lexicon = new LexiconSentimentScorer();
        Assert.True(lexicon.Score(new TextNormaliser().Normalise("🚀🚀🚀").Text).Score > 0.3);
        Assert.True(lexicon.Score(new TextNormaliser().Normalise("📉💀").Text).Score < -0.3);
    }

    [Fact]
    public void Slang_is_decoded_into_plain_finance_words_only_when_asked()
    {
        const string text = "HODL through the FUD, shorts got rekt, new ATH soon, ngmi if you sell";
        Assert.Equal(text, new TextNormaliser().Normalise(text).Text);
        var decoded = new TextNormaliser(new TextNormaliserOptions(DecodeSlang: true)).Normalise(text).Text;
        Assert.Equal("hold through the fear uncertainty and doubt, shorts got wrecked with heavy losses, new all-time high soon, pessimistic will fail if you sell", decoded);
        Assert.Equal("holder", SlangDecoder.Decode("holder")); // whole words only
    }

    [Fact]
    public void Empty_and_very_long_texts_are_handled()
    {
        var n = new TextNormaliser().Normalise("");
        Assert.Equal(0, n.WordCount);
        var huge = string.Concat(Enumerable.Repeat("moon ", 20_000));
        Assert.Equal(20_000, new TextNormaliser().Normalise(huge).WordCount);
    }
}

public sealed class NearDuplicateDetectorTests
{
    [Fact]
    public void Exact_repeats_match_regardless_of_case_and_punctuation()
    {
        var d = new NearDuplicateDetector();
        Assert.Equal(DuplicateKind.None, d.Add("Bitcoin ETF approved by SEC").Kind);
        var again = d.Add("bitcoin ETF approved by SEC!!");
        Assert.Equal(DuplicateKind.Exact, again.Kind);
        Assert.Equal(0, again.Cluster);
    }

    [Fact]
    public void Near_duplicates_above_the_threshold_match_and_different_texts_do_not()
    {
        var d = new NearDuplicateDetector();
        const string original = "Breaking: SEC approves spot Bitcoin ETF applications from BlackRock and Fidelity, trading starts Thursday";
        const string variant = "BREAKING SEC approves spot Bitcoin ETF applications from BlackRock and Fidelity, trading starts Thursday via";
        Assert.True(NearDuplicateDetector.Jaccard(original, variant) >= 0.8);
        Assert.Equal(DuplicateKind.None, d.Add(original).Kind);
        var match = d.Add(variant);
        Assert.Equal(DuplicateKind.Near, match.Kind);
        Assert.True(match.Similarity >= 0.7);
        Assert.Equal(DuplicateKind.None, d.Add("Ethereum developers delay the Shanghai upgrade to April after testnet issues").Kind);
        Assert.Equal(2, d.ClusterCount);
    }

    [Fact]
    public void The_minhash_estimate_tracks_exact_jaccard()
    {
        // MinHash's slot-agreement rate is an unbiased estimate of Jaccard similarity (Broder 1997): check it on pairs with known overlap.
        var words = Enumerable.Range(0, 40).Select(i => $"w{i}").ToArray();
        for (var keep = 20; keep <= 40; keep += 5)
        {
            var a = string.Join(' ', words);
            var b = string.Join(' ', words.Take(keep).Concat(Enumerable.Range(100, 40 - keep).Select(i => $"x{i}")));
            var exact = NearDuplicateDetector.Jaccard(a, b);
            var d = new NearDuplicateDetector(new DuplicateOptions(Threshold: 0.01, Bands: 40, RowsPerBand: 1));
            d.Add(a);
            var m = d.Add(b);
            var estimate = m.Kind == DuplicateKind.None ? 0 : m.Similarity;
            Assert.InRange(estimate, exact - 0.2, exact + 0.2);
        }
    }
}

public sealed class TextStageTests
{
    [Fact]
    public void Link_spam_and_account_heuristics_drop_only_when_columns_exist()
    {
        var bots = new BotFilter();
        var n = new TextNormaliser();
        Assert.Equal(DropReason.LinkSpam, bots.Check(n.Normalise("free BTC https://a.io"), null));
        Assert.Equal(DropReason.LinkSpam, bots.Check(n.Normalise("BTC news today is here a https://a.io https://b.io https://c.io"), null));
        Assert.Null(bots.Check(n.Normalise("SEC approves the first spot bitcoin ETF https://sec.gov/x"), null));
        var text = n.Normalise("BTC looks strong into the weekly close");
        Assert.Null(bots.Check(text, null));
        Assert.Null(bots.Check(text, new AuthorProfile()));
        Assert.Equal(DropReason.YoungAccount, bots.Check(text, new AuthorProfile(AccountAgeDays: 2)));
        Assert.Equal(DropReason.FewFollowers, bots.Check(text, new AuthorProfile(AccountAgeDays: 900, Followers: 1)));
        Assert.Equal(DropReason.HighPostRate, bots.Check(text, new AuthorProfile(AccountAgeDays: 900, Followers: 500, PostsPerDay: 400)));
        Assert.Null(bots.Check(text, new AuthorProfile(AccountAgeDays: 900, Followers: 500, PostsPerDay: 20)));
    }

    [Fact]
    public void Public_figures_are_found_as_whole_names()
    {
        var f = new PublicFigureFilter(["Elon Musk", "Saylor"]);
        Assert.Equal("Elon  Musk", f.Mentioned("Dogecoin jumps after Elon  Musk tweet"));
        Assert.Equal("saylor", f.Mentioned("saylor buys more"));
        Assert.Null(f.Mentioned("Muskrat spotted; Saylorville"));
        Assert.Null(new PublicFigureFilter([]).Mentioned("Elon Musk"));
    }

    [Fact]
    public void Engagement_weight_is_log_scaled_and_capped()
    {
        var o = new EngagementOptions(RepostWeight: 2, Cap: 4);
        Assert.Equal(1, EngagementWeight.Of(null, o));
        Assert.Equal(1, EngagementWeight.Of(new PostEngagement(), o));
        Assert.Equal(2, EngagementWeight.Of(new PostEngagement(Likes: 5, Reposts: 2), o), 12); // 1 + log10(1 + 5 + 4)
        Assert.Equal(3, EngagementWeight.Of(new PostEngagement(Upvotes: 99), o), 12);
        Assert.Equal(4, EngagementWeight.Of(new PostEngagement(Likes: 10_000_000), o));
    }

    [Fact]
    public void Recency_decay_halves_every_half_life()
    {
        var h = TimeSpan.FromHours(12);
        Assert.Equal(1, RecencyDecay.Weight(TimeSpan.Zero, h));
        Assert.Equal(0.5, RecencyDecay.Weight(h, h), 12);
        Assert.Equal(0.125, RecencyDecay.Weight(TimeSpan.FromHours(36), h), 12);
        Assert.Equal(0, RecencyDecay.Weight(TimeSpan.FromHours(-1), h));
    }
}

public sealed class TextPipelineTests
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static SocialPost Post(double minutes, string text, string? author = null, string? symbol = "BTC-USDT", PostEngagement? engagement = null, AuthorProfile? profile = null) =>
        new(new Headline(T0.AddMinutes(minutes), text, null, "test", symbol), author, engagement, profile);

    [Fact]
    public void The_report_counts_every_drop_by_reason()
    {
        var pipeline = new TextPipeline(new LexiconSentimentScorer());
        var batch = pipeline.Process(
        [
            Post(0, "BTC rallies as ETF inflows surge", "alice"),
            Post(1, "BTC rallies as ETF inflows surge!", "bob"),                          // exact duplicate
            Post(2, "", "carol"),                                                      // empty
            Post(3, "win free BTC https://scam.io", "dave"),                           // link spam
            Post(4, "BTC holders stay calm through the dip", "erin", profile: new AuthorProfile(AccountAgeDays: 1)), // young account
            Post(5, "Elon Musk says BTC is the future", "frank"),                       // kept, neutralised
            Post(6, "BTC slides after exchange hack drains hot wallet", "gina"),
        ]);
        var r = pipeline.Report;
        Assert.Equal(7, r.Input);
        Assert.Equal(3, r.Kept);
        Assert.Equal(1, r.DroppedFor(DropReason.ExactDuplicate));
        Assert.Equal(1, r.DroppedFor(DropReason.Empty));
        Assert.Equal(1, r.DroppedFor(DropReason.LinkSpam));
        Assert.Equal(1, r.DroppedFor(DropReason.YoungAccount));
        Assert.Equal(1, r.Neutralised);
        Assert.Equal(r.Input, r.Kept + r.DroppedTotal);
        Assert.Equal(4, batch.Dropped.Count);
        var musk = Assert.Single(batch.Kept, k => k.Note is not null);
        Assert.Equal(0, musk.Sentiment.Score);
        Assert.Contains("Musk", musk.Note);
        Assert.Contains("ExactDuplicate=1", r.ToString());
    }

    [Fact]
    public void A_coordinated_burst_marks_its_accounts_as_bots()
    {
        var pipeline = new TextPipeline(new LexiconSentimentScorer());
        pipeline.Process(
        [
            Post(0, "SOL is going to 1000 next week, load up now", "bot1"),
            Post(1, "SOL is going to 1000 next week, load up now!!", "bot2"),
            Post(2, "SOL is going to 1000 next week - load up now", "bot3"),
            Post(3, "SOL is going to 1000 next week, load up now", "bot4"),
        ]);
        Assert.Equal(1, pipeline.Report.Kept);
        Assert.Equal(1, pipeline.Report.DroppedFor(DropReason.ExactDuplicate));
        Assert.Equal(2, pipeline.Report.DroppedFor(DropReason.BotBurst));
        // Later, an unrelated post from a burst account is dropped; an honest account's is kept.
        var later = pipeline.Process([Post(90, "BTC funding turns negative as longs give up", "bot2"), Post(91, "ETH gas fees fall to a yearly low", "alice")]);
        Assert.Equal(DropReason.KnownBot, Assert.Single(later.Dropped).Reason);
        Assert.Single(later.Kept);
    }

    [Fact]
    public void Posts_are_processed_in_time_order_so_the_earliest_copy_survives()
    {
        var pipeline = new TextPipeline(new LexiconSentimentScorer());
        var batch = pipeline.Process([Post(10, "ETH upgrade ships on mainnet", "late"), Post(5, "ETH upgrade ships on mainnet", "early")]);
        Assert.Equal(T0.AddMinutes(5), Assert.Single(batch.Kept).Headline.Time);
        Assert.Equal("late", Assert.Single(batch.Dropped).Post.Author);
    }

    [Fact]
    public void Engagement_becomes_the_base_weight_and_cashtags_file_unassigned_texts()
    {
        var options = new TextPipelineOptions { CashtagSymbols = new Dictionary<string, string> { ["BTC"] = "BTC-USDT", ["ETH"] = "ETH-USDT" } };
        var pipeline = new TextPipeline(new LexiconSentimentScorer(), options);
        var batch = pipeline.Process(
        [
            Post(0, "$BTC breakout confirmed on the daily", symbol: null, engagement: new PostEngagement(Likes: 999)),
            Post(1, "$BTC vs $ETH: which one rallies first?", symbol: null),
        ]);
        Assert.Equal("BTC-USDT", batch.Kept[0].Headline.Symbol);
        Assert.Equal(4, batch.Kept[0].Weight); // 1 + log10(1000), the cap
        Assert.Null(batch.Kept[1].Headline.Symbol); // two assets named: stays market-wide
        Assert.Equal(1, pipeline.Report.AssignedFromCashtag);
    }

    [Fact]
    public void Engagement_weight_moves_the_index()
    {
        var scorer = new LexiconSentimentScorer();
        var index = new HeadlineSentimentIndex(scorer, new SentimentIndexOptions(TimeSpan.FromDays(1), TimeSpan.FromDays(1), NegativeWeight: 1, MarketWideWeight: 0));
        var pipeline = new TextPipeline(scorer);
        foreach (var k in pipeline.Process(
                 [
                     Post(0, "BTC rallies hard today", engagement: new PostEngagement(Likes: 9_999)),
                     Post(1, "BTC tumbles after the exchange hack"),
                 ]).Kept)
            index.Add(k);
        var reading = index.At("BTC-USDT", T0.AddMinutes(1));
        Assert.True(reading.Value > 0, $"the liked bullish post should outweigh the unliked bearish one, got {reading.Value}");
        Assert.Equal("BTC rallies hard today", reading.Contributors[0].Item.Headline.Text);
    }
}

public sealed class CryptoSlangTests
{
    [Theory]
    [InlineData("HODL", 1)]
    [InlineData("wagmi", 1)]
    [InlineData("moon", 1)]
    [InlineData("new ATH", 1)]
    [InlineData("pump", 1)]
    [InlineData("BTFD", 1)]
    [InlineData("FUD", -1)]
    [InlineData("ngmi", -1)]
    [InlineData("rekt", -1)]
    [InlineData("rug", -1)]
    [InlineData("dump", -1)]
    [InlineData("liquidated", -1)]
    [InlineData("shilling again", -1)]
    public void The_lexicon_reads_crypto_slang_with_the_right_sign(string text, int sign) =>
        Assert.Equal(sign, Math.Sign(new LexiconSentimentScorer().Score(text).Score));

    [Theory]
    [InlineData("HODL and wagmi, new ATH")]
    [InlineData("rekt by the rug, ngmi")]
    public void Decoded_slang_keeps_its_sign_for_the_lexicon(string text)
    {
        var lexicon = new LexiconSentimentScorer();
        var decoded = SlangDecoder.Decode(text);
        Assert.NotEqual(text, decoded);
        Assert.Equal(Math.Sign(lexicon.Score(text).Score), Math.Sign(lexicon.Score(decoded).Score));
    }
}

public sealed class DuplicateMemoryTests
{
    [Fact]
    public void Texts_not_seen_for_longer_than_the_memory_are_forgotten()
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var d = new NearDuplicateDetector(new DuplicateOptions(MemoryDays: 7));
        Assert.Equal(DuplicateKind.None, d.Add("ETH gas fees fall to a yearly low", t0).Kind);
        Assert.Equal(DuplicateKind.None, d.Add("SOL validators ship a new client release", t0.AddDays(6)).Kind);
        Assert.Equal(DuplicateKind.Exact, d.Add("ETH gas fees fall to a yearly low", t0.AddDays(5)).Kind); // seen again: remembered from day 5
        Assert.Equal(0, d.Forget(t0.AddDays(5)));
        Assert.Equal(1, d.Forget(t0.AddDays(5).AddTicks(1)));
        Assert.Equal(1, d.ClusterCount);
        Assert.Equal(DuplicateKind.None, d.Add("ETH gas fees fall to a yearly low!", t0.AddDays(13)).Kind);
        Assert.Equal(DuplicateKind.Near, d.Add("SOL validators ship a new client release today", t0.AddDays(13)).Kind);
    }

    [Fact]
    public void A_repeat_after_the_memory_is_new_even_before_the_batched_prune_runs()
    {
        // Pruning runs every few thousand texts; a lookup must not match what the memory has already let go.
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var d = new NearDuplicateDetector(new DuplicateOptions(MemoryDays: 2));
        Assert.Equal(DuplicateKind.None, d.Add("Bitcoin rallies as ETF inflows surge", t0).Kind);
        Assert.Equal(DuplicateKind.Exact, d.Add("Bitcoin rallies as ETF inflows surge", t0.AddDays(1)).Kind);
        Assert.Equal(DuplicateKind.None, d.Add("Bitcoin rallies as ETF inflows surge", t0.AddDays(3.5)).Kind);
        Assert.Equal(DuplicateKind.None, d.Add("Bitcoin rallies as ETF inflows surge today", t0.AddDays(6)).Kind); // near, but 2.5 days on
        Assert.Equal(DuplicateKind.Near, d.Add("Bitcoin rallies as ETF inflows surge today again", t0.AddDays(6.5)).Kind);
    }

    [Fact]
    public void A_long_stream_keeps_memory_bounded()
    {
        var t0 = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var d = new NearDuplicateDetector(new DuplicateOptions(MemoryDays: 1));
        for (var i = 0; i < 20_000; i++) d.Add($"headline number {i} about asset {i % 97} and event {i / 97}", t0.AddMinutes(i));
        // 20,000 minutes is ~14 days; at most a day's texts (1,440) plus one prune interval stay.
        Assert.InRange(d.ClusterCount, 1, 1440 + 4096);
    }
}
