namespace AgentFirm.Dashboard.Model;

/// <summary>
/// Splits the firm's own position PnL among the analysts: what each held position made or lost between two steps
/// (quantity held after the earlier step times the change of the venue's mark, before fees and slippage) goes to
/// the analysts in proportion to their signed share of the weighted views on that symbol at the earlier step,
/// weight x direction x confidence over the sum of the same (the meta-controller's weighting of the evidence).
/// Shares sum to one, so the parts add up to the whole; an analyst that leaned against the position gets a
/// negative share. A move with no weighted view behind it (or views that cancel out) stays unattributed.
/// Not thread-safe: the monitor calls it under its lock.
/// </summary>
public sealed class PnlAttribution
{
    public const string Unattributed = "unattributed";

    private readonly Dictionary<string, double> totals = new(StringComparer.Ordinal);
    private Dictionary<string, double> held = [];
    private Dictionary<string, double> marks = [];
    private Dictionary<string, Dictionary<string, double>> shares = [];

    /// <summary>PnL per analyst (and <see cref="Unattributed"/>) since the first step, in the quote currency.</summary>
    public IReadOnlyDictionary<string, double> Totals => new Dictionary<string, double>(totals, StringComparer.Ordinal);

    /// <param name="positions">Quantity held per symbol after this step.</param>
    /// <param name="marksNow">The venue's mark per symbol at this step.</param>
    public void Observe(DecisionStepRow step, IReadOnlyDictionary<string, double> positions, IReadOnlyDictionary<string, double> marksNow)
    {
        foreach (var (symbol, quantity) in held)
        {
            if (quantity == 0 || !marks.TryGetValue(symbol, out var before) || !marksNow.TryGetValue(symbol, out var now)) continue;
            var pnl = quantity * (now - before);
            if (shares.TryGetValue(symbol, out var split))
                foreach (var (agent, share) in split) Add(agent, pnl * share);
            else Add(Unattributed, pnl);
        }
        held = new Dictionary<string, double>(positions, StringComparer.Ordinal);
        marks = new Dictionary<string, double>(marksNow, StringComparer.Ordinal);
        shares = [];
        foreach (var views in step.Views.GroupBy(v => v.Symbol))
        {
            var parts = views.Select(v => (v.Agent, Part: step.Weights.GetValueOrDefault(v.Agent) * v.Direction * v.Confidence)).ToArray();
            var sum = parts.Sum(p => p.Part);
            if (Math.Abs(sum) < 1e-12) continue;
            shares[views.Key] = parts.Where(p => p.Part != 0).ToDictionary(p => p.Agent, p => p.Part / sum, StringComparer.Ordinal);
        }
    }

    private void Add(string agent, double pnl) => totals[agent] = totals.GetValueOrDefault(agent) + pnl;
}
