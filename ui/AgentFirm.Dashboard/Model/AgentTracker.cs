using AgentFirm.Core;

namespace AgentFirm.Dashboard.Model;

/// <summary>An analyst's standing at one step: its weight, and its rolling hit rate and stated confidence (null before any call resolved).</summary>
public sealed record AgentPoint(DateTimeOffset Time, double Weight, double? HitRate, double? MeanConfidence)
{
    /// <summary><see cref="AgentRecord.PaperReturn"/> as it stood at this step.</summary>
    public double PaperReturn { get; init; }
}

/// <summary>
/// One analyst as the dashboard sees it. A call is a view that leans (|direction| above <see cref="AgentTracker.FlatBand"/>);
/// it resolves at the first step at or after its horizon, as a hit when the mark moved the way it leaned.
/// </summary>
/// <param name="Latest">Its newest view per symbol (kept through steps where it was dropped).</param>
/// <param name="Brier">Mean squared gap between stated confidence and the outcome (1 hit, 0 miss) over resolved calls; NaN before any.</param>
/// <param name="History">Weight, rolling hit rate and rolling confidence over the session, thinned to a few hundred points.</param>
public sealed record AgentRecord(
    string Name,
    IReadOnlyList<AgentView> Latest,
    double Weight,
    int Calls,
    int Resolved,
    int Hits,
    double Brier,
    int Steps,
    int Drops,
    IReadOnlyList<AgentPoint> History)
{
    /// <summary>
    /// The analyst's own paper PnL: the sum of the price moves its resolved calls caught, one unit of notional per
    /// call in the direction it leaned, no costs (+0.10 for a long call on a 10% rise). Not the firm's PnL, which
    /// blends every analyst's calls, but which analyst's calls pay.
    /// </summary>
    public double PaperReturn { get; init; }

    public double HitRate => Resolved > 0 ? (double)Hits / Resolved : double.NaN;

    /// <summary>Its own time per step as the analyst desk measured it: the mean over the steps it answered, and the last; NaN when never timed.</summary>
    public double MeanMillis { get; init; } = double.NaN;
    public double LastMillis { get; init; } = double.NaN;
}

/// <summary>
/// Scores the analysts from the decision steps and the marks the venue gave at each step: calls made, calls
/// resolved and hit, Brier score, drops. Only marks known at the resolving step are used (no lookahead).
/// Not thread-safe: the monitor calls it under its lock.
/// </summary>
public sealed class AgentTracker
{
    /// <summary>Views leaning less than this are "no call" and are not scored.</summary>
    public const double FlatBand = 0.05;

    /// <summary>Rolling window for the hit rate and confidence lines (resolved calls).</summary>
    public const int Window = 200;

    /// <summary>History points kept per agent; past twice this, every other point is dropped (the line keeps its shape).</summary>
    public const int MaxHistory = 300;

    private readonly Dictionary<string, Scores> agents = new(StringComparer.Ordinal);
    private readonly List<string> order = [];
    private readonly List<Pending> pending = [];

    /// <param name="mark">The venue's mark for a symbol at this step, or null when it has none.</param>
    public void Observe(DecisionStepRow step, Func<string, double?> mark)
    {
        Resolve(step.Time, mark);
        foreach (var name in step.Views.Select(v => v.Agent).Concat(step.Weights.Keys).Concat(step.Dropped).Distinct())
            ScoresOf(name).Steps++;
        foreach (var name in step.Dropped) ScoresOf(name).Drops++;
        foreach (var (name, millis) in step.AnalystMillis)
        {
            var s = ScoresOf(name);
            (s.MillisSum, s.Timed, s.LastMillis) = (s.MillisSum + millis, s.Timed + 1, millis);
        }
        foreach (var view in step.Views)
        {
            var s = ScoresOf(view.Agent);
            s.Latest[view.Symbol] = view;
            if (Math.Abs(view.Direction) <= FlatBand || mark(view.Symbol) is not { } entry) continue;
            s.Calls++;
            pending.Add(new Pending(view.Agent, view.Symbol, view.AsOf + view.Horizon, Math.Sign(view.Direction), view.Confidence, entry));
        }
        foreach (var name in order)
        {
            var s = agents[name];
            s.Weight = step.Weights.GetValueOrDefault(name);
            s.History.Add(new AgentPoint(step.Time, s.Weight,
                s.Recent.Count > 0 ? s.Recent.Average(r => r.Hit ? 1.0 : 0.0) : null,
                s.Recent.Count > 0 ? s.Recent.Average(r => r.Confidence) : null) { PaperReturn = s.PaperReturn });
            if (s.History.Count > 2 * MaxHistory) Thin(s.History);
        }
    }

    public IReadOnlyList<AgentRecord> Records() => order.Select(name =>
    {
        var s = agents[name];
        return new AgentRecord(name, s.Latest.Values.OrderBy(v => v.Symbol, StringComparer.Ordinal).ToArray(), s.Weight, s.Calls, s.Resolved, s.Hits,
            s.Resolved > 0 ? s.BrierSum / s.Resolved : double.NaN, s.Steps, s.Drops, s.History.ToArray())
        {
            PaperReturn = s.PaperReturn,
            MeanMillis = s.Timed > 0 ? s.MillisSum / s.Timed : double.NaN,
            LastMillis = s.Timed > 0 ? s.LastMillis : double.NaN,
        };
    }).ToArray();

    private void Resolve(DateTimeOffset now, Func<string, double?> mark)
    {
        for (var i = pending.Count - 1; i >= 0; i--)
        {
            var p = pending[i];
            if (p.Due > now) continue;
            pending.RemoveAt(i);
            // A mark that did not move (or a symbol with no mark now) says nothing about the call.
            if (mark(p.Symbol) is not { } exit || exit == p.Entry) continue;
            var hit = Math.Sign(exit - p.Entry) == p.Sign;
            var s = agents[p.Agent];
            s.Resolved++;
            if (hit) s.Hits++;
            s.BrierSum += Math.Pow(p.Confidence - (hit ? 1 : 0), 2);
            s.PaperReturn += p.Sign * (exit / p.Entry - 1);
            s.Recent.Enqueue((hit, p.Confidence));
            if (s.Recent.Count > Window) s.Recent.Dequeue();
        }
    }

    private Scores ScoresOf(string name)
    {
        if (agents.TryGetValue(name, out var s)) return s;
        order.Add(name);
        return agents[name] = new Scores();
    }

    private static void Thin(List<AgentPoint> history)
    {
        var kept = history.Where((_, i) => i % 2 == 0 || i == history.Count - 1).ToList();
        history.Clear();
        history.AddRange(kept);
    }

    private sealed record Pending(string Agent, string Symbol, DateTimeOffset Due, int Sign, double Confidence, double Entry);

    private sealed class Scores
    {
        public readonly Dictionary<string, AgentView> Latest = new(StringComparer.Ordinal);
        public readonly Queue<(bool Hit, double Confidence)> Recent = new();
        public readonly List<AgentPoint> History = [];
        public double Weight;
        public int Calls, Resolved, Hits, Steps, Drops;
        public double BrierSum, PaperReturn;
        public double MillisSum, LastMillis;
        public int Timed;
    }
}
