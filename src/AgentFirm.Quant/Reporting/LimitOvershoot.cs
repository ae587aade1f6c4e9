using System.Globalization;
using System.Text.Json.Nodes;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Reporting;

/// <summary>
/// How far past one portfolio limit the book went in a backtest, and why. The loss is measured the way the
/// risk engine enforces it: drawdown from the peak of decision-time equity, daily loss from the equity at the
/// UTC day's first decision, both at every observation the run had (decision closes and, with finer data,
/// every sub-bar close). <see cref="PastLimitWhenSeen"/> is how far past the limit the first observation
/// beyond it already was (a gap between two finer closes, or a whole bar's move when no finer data existed);
/// <see cref="AfterSeen"/> is what was lost after that, until the flattening filled (latency).
/// </summary>
public sealed record LimitOvershoot(
    string Limit,
    double LimitValue,
    double Worst,
    DateTimeOffset? WorstAt,
    double Overshoot,
    DateTimeOffset? FirstSeenAt,
    double PastLimitWhenSeen,
    double AfterSeen,
    bool FinerDataWhenSeen,
    string Why)
{
    public const string Gap = "gap";
    public const string Latency = "latency";
    public const string MissingFinerData = "missing finer data";

    public JsonObject ToJson() => new()
    {
        ["limit"] = LimitValue,
        ["worst"] = Worst,
        ["worst_at"] = WorstAt,
        ["overshoot"] = Overshoot,
        ["first_seen_at"] = FirstSeenAt,
        ["past_limit_when_seen"] = PastLimitWhenSeen,
        ["after_seen"] = AfterSeen,
        ["finer_data_when_seen"] = FirstSeenAt is null ? null : FinerDataWhenSeen,
        ["why"] = Why,
    };

    public string Describe() => Overshoot <= 0
        ? Inv($"{Limit.Replace('_', ' ')}: worst {Worst:P2}, limit {LimitValue:P2}: within")
        : Inv($"{Limit.Replace('_', ' ')}: worst {Worst:P2}, limit {LimitValue:P2}: {Overshoot:P2} past it ({PastLimitWhenSeen:P2} already when first seen at {FirstSeenAt:yyyy-MM-dd HH:mm}Z: {(FinerDataWhenSeen ? Gap : MissingFinerData)}; {AfterSeen:P2} after: {Latency}); mainly {Why}");

    /// <summary>Both limits for a finished run.</summary>
    public static LimitOvershoot[] Measure(BacktestResult result, double maxDrawdown, double dailyLossLimit)
    {
        var points = Observations(result);
        return [DrawdownOvershoot(points, maxDrawdown), DailyLossOvershoot(points, dailyLossLimit)];
    }

    /// <summary>report.json's "limits": each limit's overshoot and what the run could observe.</summary>
    public static JsonObject ToJson(BacktestResult result, IReadOnlyList<LimitOvershoot> limits, bool enforced, int actionsBetweenDecisions)
    {
        var json = new JsonObject
        {
            ["enforced"] = enforced,
            ["observations"] = result.Intrabar.Times.Count > 0
                ? Inv($"decision closes and {result.Intrabar.Times.Count} sub-bar closes inside them")
                : "decision closes only (no finer data): a limit can act only at the open after the close that breached it",
            ["bars_with_finer_data"] = result.Intrabar.BarsWithSubBars,
            ["bars_without_finer_data"] = result.Intrabar.BarsWithoutSubBars,
            ["risk_actions_between_decisions"] = actionsBetweenDecisions,
        };
        foreach (var l in limits) json[l.Limit] = l.ToJson();
        return json;
    }

    private readonly record struct Point(DateTimeOffset Time, double Equity, bool Decision, bool FinerData);

    private static Point[] Observations(BacktestResult result)
    {
        var curve = result.Curve;
        var intrabar = result.Intrabar;
        var points = new List<Point>(curve.Count + intrabar.Times.Count);
        var j = 0;
        for (var i = 0; i < curve.Count; i++)
        {
            var finer = false;
            while (j < intrabar.Times.Count && intrabar.Times[j] < curve.Times[i])
            {
                points.Add(new Point(intrabar.Times[j], intrabar.Equity[j], false, true));
                finer = true;
                j++;
            }
            points.Add(new Point(curve.Times[i], curve.Equity[i], true, finer));
        }
        return points.ToArray();
    }

    private static LimitOvershoot DrawdownOvershoot(Point[] points, double limit)
    {
        var loss = new double[points.Length];
        var peak = double.NaN;
        for (var i = 0; i < points.Length; i++)
        {
            if (points[i].Decision) peak = double.IsNaN(peak) ? points[i].Equity : Math.Max(peak, points[i].Equity);
            loss[i] = double.IsNaN(peak) || peak <= 0 ? 0 : 1 - points[i].Equity / peak;
        }
        return Attribute("max_drawdown", limit, points, loss, (_, _) => true);
    }

    private static LimitOvershoot DailyLossOvershoot(Point[] points, double limit)
    {
        // A UTC day runs from the observation at its midnight (the close that starts it, where the risk engine
        // takes the day's starting equity) to the next midnight's close, which ends it: an observation exactly
        // at midnight belongs to the day it closes. With daily bars that is the only way to see a day's loss.
        var loss = new double[points.Length];
        var day = new DateOnly[points.Length];
        DateOnly? current = null;
        var start = double.NaN;
        for (var i = 0; i < points.Length; i++)
        {
            day[i] = DateOnly.FromDateTime(points[i].Time.UtcDateTime.AddTicks(-1));
            if (current != day[i]) (current, start) = (day[i], i > 0 ? points[i - 1].Equity : points[i].Equity);
            loss[i] = start > 0 ? 1 - points[i].Equity / start : 0;
        }
        return Attribute("daily_loss", limit, points, loss, (a, b) => day[a] == day[b]);
    }

    /// <summary>The worst loss, and for its episode the first observation past the limit, walking back while still past it.</summary>
    private static LimitOvershoot Attribute(string name, double limit, Point[] points, double[] loss, Func<int, int, bool> sameEpisode)
    {
        var worst = -1;
        for (var i = 0; i < loss.Length; i++)
            if (worst < 0 || loss[i] > loss[worst]) worst = i;
        if (worst < 0) return new LimitOvershoot(name, limit, 0, null, 0, null, 0, 0, false, "no observations");
        var overshoot = Math.Max(0, loss[worst] - limit);
        if (overshoot <= 0)
            return new LimitOvershoot(name, limit, Math.Max(0, loss[worst]), points[worst].Time, 0, null, 0, 0, false, "within the limit");
        var seen = worst;
        while (seen > 0 && loss[seen - 1] > limit && sameEpisode(seen - 1, worst)) seen--;
        var whenSeen = loss[seen] - limit;
        var after = loss[worst] - loss[seen];
        var finer = !points[seen].Decision || points[seen].FinerData;
        var why = after > whenSeen ? Latency : finer ? Gap : MissingFinerData;
        return new LimitOvershoot(name, limit, loss[worst], points[worst].Time, overshoot, points[seen].Time, whenSeen, after, finer, why);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
