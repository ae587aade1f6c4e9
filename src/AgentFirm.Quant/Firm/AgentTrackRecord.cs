using AgentFirm.Core;

namespace AgentFirm.Quant.Firm;

/// <summary>
/// How often each agent's directional calls came true, per regime, over a rolling window. A view issued
/// at one decision is scored only when the next bar of its symbol has closed, so the record never uses
/// a return the firm could not have seen. Hit rates are shrunk toward 50% (a Beta(k/2, k/2) prior) so a
/// lucky streak of three calls does not dominate the firm.
/// </summary>
public sealed class AgentTrackRecord(int window = 200, double priorStrength = 10)
{
    private readonly Dictionary<(string Agent, Regime Regime), Queue<bool>> _outcomes = new();
    private readonly Dictionary<string, List<Pending>> _pendingBySymbol = new(StringComparer.OrdinalIgnoreCase);

    private readonly record struct Pending(string Agent, Regime Regime, int Sign, double EntryClose);

    /// <summary>Remembers the directional views issued at a decision, with the close they were made at.</summary>
    public void Issue(IEnumerable<AgentView> views, Regime regime, Func<string, double> closeNow)
    {
        foreach (var view in views)
        {
            if (view.Confidence <= 0 || view.Direction == 0) continue;
            var close = closeNow(view.Symbol);
            if (!(close > 0)) continue;
            if (!_pendingBySymbol.TryGetValue(view.Symbol, out var list)) _pendingBySymbol[view.Symbol] = list = new List<Pending>();
            list.Add(new Pending(view.Agent, regime, Math.Sign(view.Direction), close));
        }
    }

    /// <summary>Scores the pending views of a symbol against the close of the bar that just completed.</summary>
    public void Score(string symbol, double close)
    {
        if (!_pendingBySymbol.TryGetValue(symbol, out var list) || list.Count == 0 || !(close > 0)) return;
        foreach (var p in list)
        {
            var move = Math.Sign(close - p.EntryClose);
            if (move == 0) continue; // no information in a flat bar
            if (!_outcomes.TryGetValue((p.Agent, p.Regime), out var q)) _outcomes[(p.Agent, p.Regime)] = q = new Queue<bool>();
            q.Enqueue(move == p.Sign);
            if (q.Count > window) q.Dequeue();
        }
        list.Clear();
    }

    /// <summary>Shrunk hit rate of an agent in a regime: (hits + k/2) / (calls + k).</summary>
    public double HitRate(string agent, Regime regime)
    {
        if (!_outcomes.TryGetValue((agent, regime), out var q)) return 0.5;
        var hits = 0;
        foreach (var hit in q) if (hit) hits++;
        return (hits + priorStrength / 2) / (q.Count + priorStrength);
    }

    public int Calls(string agent, Regime regime) => _outcomes.TryGetValue((agent, regime), out var q) ? q.Count : 0;

    /// <summary>
    /// Weight of an agent: its edge over a coin flip plus a small floor, so a poor agent is heard less but
    /// never silenced for good (it may recover in another regime). 50% hit rate -> 0.1, 60% -> 0.2.
    /// </summary>
    public double Weight(string agent, Regime regime) => Math.Max(0.02, HitRate(agent, regime) - 0.4);
}
