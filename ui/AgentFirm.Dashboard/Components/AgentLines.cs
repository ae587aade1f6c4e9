using AgentFirm.Dashboard.Model;

namespace AgentFirm.Dashboard.Components;

/// <summary>One line per analyst over the session, on a shared time axis, for the agents' charts.</summary>
internal static class AgentLines
{
    /// <summary>The longest-tracked analyst's step times are the axis (analysts that joined later start with gaps).</summary>
    public static IReadOnlyList<DateTimeOffset> Times(IReadOnlyList<AgentRecord> agents) =>
        agents.Count == 0 ? [] : agents.MaxBy(a => a.History.Count)!.History.Select(p => p.Time).ToArray();

    public static IReadOnlyList<(string Name, IReadOnlyList<double> Values)> Of(IReadOnlyList<AgentRecord> agents, IReadOnlyList<DateTimeOffset> times, Func<AgentPoint, double> value)
    {
        var index = new Dictionary<DateTimeOffset, int>();
        for (var i = 0; i < times.Count; i++) index.TryAdd(times[i], i);
        return agents.Select(a =>
        {
            var values = Enumerable.Repeat(double.NaN, times.Count).ToArray();
            foreach (var p in a.History)
                if (index.TryGetValue(p.Time, out var i)) values[i] = value(p);
            return (a.Name, (IReadOnlyList<double>)values);
        }).ToArray();
    }
}
