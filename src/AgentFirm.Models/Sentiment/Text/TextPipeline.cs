using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment.Text;

/// <summary>Every stage's settings. Defaults suit news headlines and tweets alike.</summary>
public sealed record TextPipelineOptions
{
    public TextNormaliserOptions Normaliser { get; init; } = new();
    public bool RemoveDuplicates { get; init; } = true;
    public DuplicateOptions Duplicates { get; init; } = new();
    public BotFilterOptions Bots { get; init; } = new();
    /// <summary>Names whose mention makes a text neutral for the asset; empty turns the stage off.</summary>
    public IReadOnlyList<string> PublicFigures { get; init; } = PublicFigureFilter.DefaultNames;
    public EngagementOptions Engagement { get; init; } = new();
    /// <summary>Ticker (upper case) -> symbol, to file a text that names no symbol under the one asset its cashtags name.</summary>
    public IReadOnlyDictionary<string, string> CashtagSymbols { get; init; } = new Dictionary<string, string>();

    public void Validate()
    {
        Bots.Validate();
        Engagement.Validate();
    }
}

/// <summary>How many texts came in, how many each stage dropped and why, how many were neutralised.</summary>
public sealed class PipelineReport
{
    private readonly Dictionary<DropReason, int> _dropped = [];

    public int Input { get; private set; }
    public int Kept { get; private set; }
    public int Neutralised { get; private set; }
    public int AssignedFromCashtag { get; private set; }
    public IReadOnlyDictionary<DropReason, int> Dropped => _dropped;
    public int DroppedTotal => _dropped.Values.Sum();
    public int DroppedFor(DropReason reason) => _dropped.GetValueOrDefault(reason);

    internal void CountInput() => Input++;
    internal void CountKept() => Kept++;
    internal void CountNeutralised() => Neutralised++;
    internal void CountCashtag() => AssignedFromCashtag++;
    internal void Drop(DropReason reason) => _dropped[reason] = _dropped.GetValueOrDefault(reason) + 1;

    public override string ToString()
    {
        var parts = Enum.GetValues<DropReason>().Where(r => DroppedFor(r) > 0).Select(r => $"{r}={DroppedFor(r)}");
        return $"in={Input} kept={Kept} neutralised={Neutralised} dropped={DroppedTotal} ({string.Join(", ", parts)})";
    }
}

/// <summary>A post that was dropped, and why (for audits and tests).</summary>
public sealed record DroppedPost(SocialPost Post, DropReason Reason);

public sealed record PipelineBatch(IReadOnlyList<ScoredHeadline> Kept, IReadOnlyList<DroppedPost> Dropped);

/// <summary>
/// The text pipeline in front of the sentiment index: normalise, drop spam and bot accounts, drop exact
/// and near duplicates (and mark accounts that post one text in a coordinated burst as bots), score the
/// survivors in one batch, neutralise public-figure mentions and weight by engagement. Recency decay and
/// the negative-news asymmetry are applied by the index when it is read. Posts are processed in time order
/// and each decision uses only posts at or before it, so the pipeline is as-of. Stateful across batches
/// (duplicates and bots are remembered). Not thread-safe.
/// </summary>
public sealed class TextPipeline
{
    private readonly TextPipelineOptions _options;
    private readonly ISentimentScorer _scorer;
    private readonly TextNormaliser _normaliser;
    private readonly BotFilter _bots;
    private readonly PublicFigureFilter _figures;
    private readonly NearDuplicateDetector _duplicates;
    private readonly Dictionary<int, List<(DateTimeOffset Time, string Author)>> _clusterAuthors = [];
    private readonly HashSet<string> _botAuthors = new(StringComparer.OrdinalIgnoreCase);

    public TextPipeline(ISentimentScorer scorer, TextPipelineOptions? options = null)
    {
        _options = options ?? new TextPipelineOptions();
        _options.Validate();
        _scorer = scorer;
        _normaliser = new TextNormaliser(_options.Normaliser);
        _bots = new BotFilter(_options.Bots);
        _figures = new PublicFigureFilter(_options.PublicFigures);
        _duplicates = new NearDuplicateDetector(_options.Duplicates);
    }

    public TextPipelineOptions Options => _options;

    /// <summary>Counts since the pipeline was made.</summary>
    public PipelineReport Report { get; } = new();

    public PipelineBatch Process(IEnumerable<SocialPost> posts)
    {
        var ordered = posts.Select((p, i) => (Post: p, Order: i)).OrderBy(x => x.Post.Headline.Time).ThenBy(x => x.Order).Select(x => x.Post).ToList();
        var survivors = new List<(SocialPost Post, NormalisedText Text, string? Symbol)>();
        var dropped = new List<DroppedPost>();
        foreach (var post in ordered)
        {
            Report.CountInput();
            var normalised = _normaliser.Normalise(post.Headline.Text);
            var reason = Screen(post, normalised);
            if (reason is { } r)
            {
                Report.Drop(r);
                dropped.Add(new DroppedPost(post, r));
                continue;
            }
            survivors.Add((post, normalised, ResolveSymbol(post.Headline, normalised)));
        }

        var scores = _scorer.ScoreMany(survivors.Select(s => s.Text.Text).ToList());
        var kept = new List<ScoredHeadline>(survivors.Count);
        for (var i = 0; i < survivors.Count; i++)
        {
            var (post, text, symbol) = survivors[i];
            var headline = symbol == post.Headline.Symbol ? post.Headline : post.Headline with { Symbol = symbol };
            var score = scores[i];
            string? note = null;
            if (_figures.Mentioned(text.Text) is { } name)
            {
                score = SentimentScore.Neutral;
                note = $"neutralised: mentions {name}";
                Report.CountNeutralised();
            }
            kept.Add(new ScoredHeadline(headline, score, EngagementWeight.Of(post.Engagement, _options.Engagement), note));
            Report.CountKept();
        }
        return new PipelineBatch(kept, dropped);
    }

    private DropReason? Screen(SocialPost post, NormalisedText text)
    {
        if (text.WordCount == 0) return DropReason.Empty;
        if (_bots.Check(text, post.Profile) is { } spam) return spam;
        if (post.Author is { } known && _botAuthors.Contains(known)) return DropReason.KnownBot;
        if (!_options.RemoveDuplicates) return null;

        var time = post.Headline.Time;
        var match = _duplicates.Add(text.Text, time);
        if (!_clusterAuthors.TryGetValue(match.Cluster, out var authors)) _clusterAuthors[match.Cluster] = authors = [];
        if (post.Author is { } author)
        {
            authors.RemoveAll(a => time - a.Time > _options.Bots.Window); // only the burst window matters
            authors.Add((time, author));
        }
        if (match.Kind == DuplicateKind.None && _clusterAuthors.Count > 4 * Math.Max(1024, _duplicates.ClusterCount))
            foreach (var id in _clusterAuthors.Where(c => c.Value.Count == 0 || time - c.Value[^1].Time > _options.Bots.Window).Select(c => c.Key).ToList())
                _clusterAuthors.Remove(id);
        if (match.Kind == DuplicateKind.None) return null;

        // Coordinated burst: many accounts, one text, within a short window. Those accounts are bots from now on.
        var window = _options.Bots.Window;
        var recent = authors.Where(a => time - a.Time <= window).Select(a => a.Author).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (recent.Count >= _options.Bots.BurstAuthors)
        {
            foreach (var a in recent) _botAuthors.Add(a);
            return DropReason.BotBurst;
        }
        return match.Kind == DuplicateKind.Exact ? DropReason.ExactDuplicate : DropReason.NearDuplicate;
    }

    private string? ResolveSymbol(Headline headline, NormalisedText text)
    {
        if (!string.IsNullOrEmpty(headline.Symbol) || text.Cashtags.Count == 0 || _options.CashtagSymbols.Count == 0) return headline.Symbol;
        var symbols = text.Cashtags.Select(t => _options.CashtagSymbols.GetValueOrDefault(t)).Where(s => s is not null).Distinct().ToList();
        if (symbols.Count != 1) return headline.Symbol;
        Report.CountCashtag();
        return symbols[0];
    }
}
