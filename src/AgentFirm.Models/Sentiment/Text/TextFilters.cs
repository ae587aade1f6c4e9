using System.Text.RegularExpressions;
using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment.Text;

/// <summary>Why the pipeline dropped a text.</summary>
public enum DropReason
{
    Empty,
    LinkSpam,
    YoungAccount,
    FewFollowers,
    HighPostRate,
    KnownBot,
    ExactDuplicate,
    NearDuplicate,
    BotBurst,
}

/// <param name="BurstAuthors">Distinct accounts posting the same (near-duplicate) text within <paramref name="BurstWindow"/> that mark a coordinated bot burst; its accounts are then treated as bots.</param>
/// <param name="MaxLinks">A text with more links than this is link spam.</param>
/// <param name="MinWordsWithLink">A text with a link and fewer words than this is link spam (a bare promo link).</param>
/// <param name="MinAccountAgeDays">Accounts younger than this are dropped (only when the column exists).</param>
/// <param name="MinFollowers">Accounts with fewer followers are dropped (only when the column exists).</param>
/// <param name="MaxPostsPerDay">Accounts posting more than this per day are dropped (only when the column exists).</param>
public sealed record BotFilterOptions(
    int BurstAuthors = 3,
    TimeSpan? BurstWindow = null,
    int MaxLinks = 2,
    int MinWordsWithLink = 4,
    double MinAccountAgeDays = 7,
    long MinFollowers = 5,
    double MaxPostsPerDay = 150)
{
    public TimeSpan Window => BurstWindow ?? TimeSpan.FromHours(1);

    public void Validate()
    {
        if (BurstAuthors < 2) throw new BadInputException($"Burst authors must be at least 2, got {BurstAuthors}.");
        if (Window <= TimeSpan.Zero) throw new BadInputException("Burst window must be positive.");
        if (MaxLinks < 0 || MinWordsWithLink < 0 || MinAccountAgeDays < 0 || MinFollowers < 0 || !(MaxPostsPerDay > 0))
            throw new BadInputException("Bot filter limits must be non-negative (posts per day positive).");
    }
}

/// <summary>
/// Per-post bot and spam checks that need no other text: link spam and the account heuristics (age,
/// followers, posting rate), each applied only when the source has the column.
/// </summary>
public sealed class BotFilter(BotFilterOptions? options = null)
{
    public BotFilterOptions Options { get; } = options ?? new BotFilterOptions();

    public DropReason? Check(NormalisedText text, AuthorProfile? profile)
    {
        if (text.UrlCount > Options.MaxLinks || (text.UrlCount > 0 && text.WordCount < Options.MinWordsWithLink)) return DropReason.LinkSpam;
        if (profile is null) return null;
        if (profile.AccountAgeDays is { } age && age < Options.MinAccountAgeDays) return DropReason.YoungAccount;
        if (profile.Followers is { } followers && followers < Options.MinFollowers) return DropReason.FewFollowers;
        if (profile.PostsPerDay is { } rate && rate > Options.MaxPostsPerDay) return DropReason.HighPostRate;
        return null;
    }
}

/// <summary>
/// Public-figure neutralisation: a text that names one of the configured people is scored neutral for
/// the asset. A celebrity's mention moves attention, not the asset's fundamentals, and would otherwise
/// swamp the index (the seeds' "Musk effect").
/// </summary>
public sealed class PublicFigureFilter
{
    public static IReadOnlyList<string> DefaultNames { get; } = ["Elon Musk", "Musk", "Michael Saylor", "Saylor", "Donald Trump", "Trump"];

    private readonly Regex? _pattern;

    public PublicFigureFilter(IEnumerable<string>? names = null)
    {
        var list = (names ?? DefaultNames).Select(n => n.Trim()).Where(n => n.Length > 0).ToList();
        Names = list;
        if (list.Count == 0) return;
        var alternatives = string.Join('|', list.OrderByDescending(n => n.Length).Select(n => Regex.Escape(n).Replace(@"\ ", @"\s+")));
        _pattern = new Regex($@"(?<![\p{{L}}\p{{N}}])(?:{alternatives})(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public IReadOnlyList<string> Names { get; }

    /// <summary>The first configured name the text mentions, or null.</summary>
    public string? Mentioned(string text)
    {
        if (_pattern is null) return null;
        var m = _pattern.Match(text);
        return m.Success ? m.Value : null;
    }
}

/// <param name="RepostWeight">A repost spreads a text further than a like, so it counts this many likes.</param>
/// <param name="Cap">Largest weight any one text can get, so one viral post cannot own the index.</param>
public sealed record EngagementOptions(double RepostWeight = 2, double Cap = 4)
{
    public void Validate()
    {
        if (!(RepostWeight >= 0) || !double.IsFinite(RepostWeight)) throw new BadInputException($"Repost weight must be >= 0, got {RepostWeight}.");
        if (!(Cap >= 1) || !double.IsFinite(Cap)) throw new BadInputException($"Engagement cap must be >= 1, got {Cap}.");
    }
}

/// <summary>Engagement weighting: w = min(cap, 1 + log10(1 + likes + upvotes + replies + k reposts)); 1 without counts.</summary>
public static class EngagementWeight
{
    public static double Of(PostEngagement? engagement, EngagementOptions options)
    {
        if (engagement is null) return 1;
        var total = Math.Max(0, engagement.Likes) + Math.Max(0, engagement.Upvotes) + Math.Max(0, engagement.Replies) + options.RepostWeight * Math.Max(0, engagement.Reposts);
        return Math.Min(options.Cap, 1 + Math.Log10(1 + total));
    }
}

/// <summary>Recency decay: a text's weight halves every half-life of age; zero before it was published.</summary>
public static class RecencyDecay
{
    public static double Weight(TimeSpan age, TimeSpan halfLife) =>
        age < TimeSpan.Zero ? 0 : Math.Pow(2, -(double)age.Ticks / halfLife.Ticks);
}
