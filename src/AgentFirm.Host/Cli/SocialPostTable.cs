using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Models.Sentiment.Text;

namespace AgentFirm.Host.Cli;

/// <summary>
/// Reads the optional social columns of a text CSV into posts for the pipeline: timestamp, symbol, author
/// (or user/username), likes, reposts (or retweets/shares), replies (or comments), upvotes, account_age_days,
/// followers, posts_per_day. Missing columns are simply not used; a bad number or time is exit 2 naming the row.
/// </summary>
internal static class SocialPostTable
{
    public static IReadOnlyList<SocialPost> Read(TextTable table)
    {
        int Col(params string[] names) => names.Select(table.OptionalColumn).FirstOrDefault(i => i >= 0, -1);
        int text = table.Column("text"), time = Col("timestamp"), symbol = Col("symbol"), author = Col("author", "user", "username");
        int likes = Col("likes", "favorites"), reposts = Col("reposts", "retweets", "shares"), replies = Col("replies", "comments"), upvotes = Col("upvotes");
        int age = Col("account_age_days"), followers = Col("followers"), rate = Col("posts_per_day");
        var hasEngagement = likes >= 0 || reposts >= 0 || replies >= 0 || upvotes >= 0;
        var hasProfile = age >= 0 || followers >= 0 || rate >= 0;
        var posts = new List<SocialPost>(table.Rows.Count);
        // Undated rows keep file order one second apart, so the pipeline's "earlier copy wins" follows the file.
        var undatedBase = DateTimeOffset.UnixEpoch;
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var row = table.Rows[i];
            var f = row.Fields;
            var at = undatedBase.AddSeconds(i);
            if (time >= 0 && f[time].Length > 0 &&
                !DateTimeOffset.TryParse(f[time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at))
                throw new BadInputException(table.File, row.Row, "timestamp", $"'{f[time]}' is not an ISO-8601 time");
            double? Number(int column, string name)
            {
                if (column < 0 || f[column].Length == 0) return null;
                return double.TryParse(f[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v >= 0
                    ? v : throw new BadInputException(table.File, row.Row, name, $"'{f[column]}' is not a non-negative number");
            }
            var engagement = hasEngagement
                ? new PostEngagement((long)(Number(likes, "likes") ?? 0), (long)(Number(reposts, "reposts") ?? 0), (long)(Number(replies, "replies") ?? 0), (long)(Number(upvotes, "upvotes") ?? 0))
                : null;
            var profile = hasProfile ? new AuthorProfile(Number(age, "account_age_days"), (long?)Number(followers, "followers"), Number(rate, "posts_per_day")) : null;
            var headline = new Headline(at, f[text], null, table.File, symbol >= 0 && f[symbol].Length > 0 ? f[symbol] : null);
            posts.Add(new SocialPost(headline, author >= 0 && f[author].Length > 0 ? f[author] : null, engagement, profile));
        }
        return posts;
    }
}
