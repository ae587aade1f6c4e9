using System.Globalization;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

/// <summary>
/// A market the firm learns to buy and then gets hurt in: BTC rises every day (by 1.5 % and 0.5 % in turn, so
/// it has a volatility) while good-news headlines about it appear each midday, then one bar opens far down. The
/// sentiment analyst's calls come true day after day, the meta-controller learns to trust them, the firm goes
/// long, and the fall breaches a tight drawdown limit.
/// </summary>
internal static class GoodNewsThenCrash
{
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] GoodNews =
    [
        "Bitcoin rallies as ETF inflows surge",
        "Whales accumulate BTC ahead of network upgrade",
        "BTC jumps after major exchange adds spot pairs",
        "Institutional desk adds BTC to treasury reserves",
    ];

    /// <summary>Writes FOLDER/BTC-USDT.csv and FOLDER/text/headlines.csv; returns the bar file's path.</summary>
    public static string Write(TempFolder folder, int days, int crashDay, double crashFactor)
    {
        var path = folder.File("BTC-USDT.csv");
        var price = 100.0;
        var rows = new List<string> { "timestamp,open,high,low,close,volume" };
        var news = new List<string> { "timestamp,text,label,source" };
        for (var i = 0; i < days; i++)
        {
            // The crash gaps at the open: no stop inside the bar can dodge it, so the firm's loss is the whole fall.
            var open = i == crashDay ? price * crashFactor : price;
            price = i == crashDay ? open : price * (i % 2 == 0 ? 1.015 : 1.005);
            var high = Math.Max(open, price) * 1.005;
            var low = Math.Min(open, price) * 0.995;
            rows.Add(string.Create(CultureInfo.InvariantCulture, $"{Start.AddDays(i):yyyy-MM-dd'T'HH:mm:ss'Z'},{open},{high},{low},{price},100000"));
            if (i < crashDay) news.Add(string.Create(CultureInfo.InvariantCulture, $"{Start.AddDays(i).AddHours(12):yyyy-MM-dd'T'HH:mm:ss'Z'},{GoodNews[i % GoodNews.Length]},positive,test"));
        }
        File.WriteAllLines(path, rows);
        Directory.CreateDirectory(folder.File("text"));
        File.WriteAllLines(Path.Combine(folder.File("text"), "headlines.csv"), news);
        return path;
    }
}
