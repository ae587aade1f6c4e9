using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment.Text;

/// <summary>Engagement counts where the source has them (tweets: likes, reposts, replies; Reddit: upvotes).</summary>
public sealed record PostEngagement(long Likes = 0, long Reposts = 0, long Replies = 0, long Upvotes = 0);

/// <summary>What the source says about the posting account; null fields were not in the data.</summary>
public sealed record AuthorProfile(double? AccountAgeDays = null, long? Followers = null, double? PostsPerDay = null);

/// <summary>A headline or social post with the optional columns the pipeline can use.</summary>
public sealed record SocialPost(Headline Headline, string? Author = null, PostEngagement? Engagement = null, AuthorProfile? Profile = null)
{
    public static implicit operator SocialPost(Headline headline) => new(headline);
}
