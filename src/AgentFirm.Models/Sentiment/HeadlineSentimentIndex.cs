using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment;

/// <summary>How headlines are weighted into the index.</summary>
/// <param name="Window">Only headlines published in (asOf - Window, asOf] count.</param>
/// <param name="HalfLife">Recency decay: a headline's weight halves every HalfLife of age.</param>
/// <param name="NegativeWeight">Extra weight on negative headlines: the seeds report that bad news moves crypto more than good news.</param>
/// <param name="MarketWideWeight">Weight of headlines that name no asset (market-wide news) in every asset's index; 0 ignores them.</param>
public sealed record SentimentIndexOptions(
    TimeSpan Window,
    TimeSpan HalfLife,
    double NegativeWeight = 1.5,
    double MarketWideWeight = 0.25)
{
    /// <summary>Two days of news with a half-life of half a day: mostly the last day, which is what a daily decision needs.</summary>
    public static SentimentIndexOptions Default { get; } = new(TimeSpan.FromDays(2), TimeSpan.FromHours(12));

    public void Validate()
    {
        if (Window <= TimeSpan.Zero) throw new BadInputException($"Sentiment window must be positive, got {Window}.");
        if (HalfLife <= TimeSpan.Zero) throw new BadInputException($"Sentiment half-life must be positive, got {HalfLife}.");
        if (!(NegativeWeight > 0) || !double.IsFinite(NegativeWeight)) throw new BadInputException($"Negative-news weight must be positive, got {NegativeWeight}.");
        if (!(MarketWideWeight >= 0) || !double.IsFinite(MarketWideWeight)) throw new BadInputException($"Market-wide weight must be >= 0, got {MarketWideWeight}.");
    }
}

/// <summary>A headline with the tone the scorer gave it.</summary>
/// <param name="Weight">Base weight before recency decay (engagement weighting; 1 for plain headlines).</param>
/// <param name="Note">Why the pipeline changed the score, e.g. a public-figure neutralisation.</param>
public sealed record ScoredHeadline(Headline Headline, SentimentScore Sentiment, double Weight = 1, string? Note = null);

/// <summary>One headline's part in an index value: its score and the weight it had at the reading's time.</summary>
public sealed record SentimentContribution(ScoredHeadline Item, double Weight);

/// <summary>
/// The index for one asset at one time: S = sum(w s) / sum(w) over the headlines known then (NaN when none),
/// with the contributors ordered by weight times |score|, strongest first.
/// </summary>
public sealed record SentimentReading(
    string Symbol,
    DateTimeOffset AsOf,
    double Value,
    int Count,
    double WeightSum,
    IReadOnlyList<SentimentContribution> Contributors)
{
    public bool HasValue => Count > 0;
}

/// <summary>
/// As-of headline sentiment per asset: S_t = sum(w_i s_i) / sum(w_i) over headlines published in the
/// trailing window, w_i = base_i x 2^(-age/half-life) x (negative ? NegativeWeight : 1) x (market-wide ? MarketWideWeight : 1),
/// base_i the pipeline's engagement weight (1 for plain headlines).
/// A headline counts from its publish time on, so adding headlines later than t never changes the value at t.
/// Each headline is scored once when it is added. Not thread-safe (one owner, e.g. a grain).
/// </summary>
public sealed class HeadlineSentimentIndex
{
    private readonly ISentimentScorer _scorer;
    private readonly SentimentIndexOptions _options;
    private readonly Dictionary<string, List<ScoredHeadline>> _byAsset = new(StringComparer.Ordinal);
    private readonly List<ScoredHeadline> _marketWide = [];

    public HeadlineSentimentIndex(ISentimentScorer scorer, SentimentIndexOptions? options = null, IEnumerable<Headline>? headlines = null)
    {
        _scorer = scorer;
        _options = options ?? SentimentIndexOptions.Default;
        _options.Validate();
        if (headlines is not null)
            foreach (var h in headlines) Add(h);
    }

    public SentimentIndexOptions Options => _options;

    /// <summary>Scores a headline and files it under its asset (or as market-wide when it names none).</summary>
    public ScoredHeadline Add(Headline headline) => Add(new ScoredHeadline(headline, _scorer.Score(headline.Text)));

    /// <summary>Files a text the pipeline already scored and weighted.</summary>
    public ScoredHeadline Add(ScoredHeadline scored)
    {
        if (!(scored.Weight >= 0) || !double.IsFinite(scored.Weight)) throw new ArgumentException($"Text weight must be finite and >= 0, got {scored.Weight}.");
        var headline = scored.Headline;
        List<ScoredHeadline> list;
        if (string.IsNullOrEmpty(headline.Symbol)) list = _marketWide;
        else if (!_byAsset.TryGetValue(headline.Symbol, out list!)) _byAsset[headline.Symbol] = list = [];
        // Usually an append; a late arrival is inserted in time order (after equal times, keeping arrival order).
        var at = UpperBound(list, headline.Time);
        list.Insert(at, scored);
        return scored;
    }

    /// <summary>The index for <paramref name="symbol"/> from headlines published at or before <paramref name="asOf"/>.</summary>
    public SentimentReading At(string symbol, DateTimeOffset asOf, int topContributors = 3)
    {
        var contributors = new List<SentimentContribution>();
        double weighted = 0, weights = 0;
        var count = 0;
        if (_byAsset.TryGetValue(symbol, out var own)) Accumulate(own, asOf, 1.0, contributors, ref weighted, ref weights, ref count);
        if (_options.MarketWideWeight > 0) Accumulate(_marketWide, asOf, _options.MarketWideWeight, contributors, ref weighted, ref weights, ref count);
        var value = weights > 0 ? weighted / weights : double.NaN;
        var top = contributors
            .OrderByDescending(c => c.Weight * Math.Abs(c.Item.Sentiment.Score))
            .ThenByDescending(c => c.Item.Headline.Time)
            .Take(Math.Max(0, topContributors))
            .ToArray();
        return new SentimentReading(symbol, asOf, value, count, weights, top);
    }

    /// <summary>Change of the index over <paramref name="lag"/>: S_t - S_(t-lag); NaN when either side has no text.</summary>
    public double Velocity(string symbol, DateTimeOffset asOf, TimeSpan lag)
    {
        var now = At(symbol, asOf, 0).Value;
        var before = At(symbol, asOf - lag, 0).Value;
        return now - before;
    }

    private void Accumulate(List<ScoredHeadline> list, DateTimeOffset asOf, double baseWeight, List<SentimentContribution> contributors,
        ref double weighted, ref double weights, ref int count)
    {
        var end = UpperBound(list, asOf); // first headline published after asOf: never read
        var halfLifeTicks = (double)_options.HalfLife.Ticks;
        for (var i = end - 1; i >= 0; i--)
        {
            var item = list[i];
            var age = asOf - item.Headline.Time;
            if (age >= _options.Window) break;
            var s = item.Sentiment.Score;
            var w = baseWeight * item.Weight * Math.Pow(2, -age.Ticks / halfLifeTicks) * (s < 0 ? _options.NegativeWeight : 1);
            weighted += w * s;
            weights += w;
            count++;
            contributors.Add(new SentimentContribution(item, w));
        }
    }

    private static int UpperBound(List<ScoredHeadline> list, DateTimeOffset time)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (list[mid].Headline.Time <= time) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
