using AgentFirm.Core;

namespace AgentFirm.Quant.Firm;

/// <summary>The firm's quantitative decision for one symbol, before any mind or sizing.</summary>
public sealed record AggregatedView(string Symbol, double Direction, double Confidence, IReadOnlyDictionary<string, double> Contributions);

/// <summary>
/// Combines the analysts' views of a symbol into one direction and confidence. Each view counts with
/// weight x confidence; the direction is the weighted mean, and the confidence is the weighted mean
/// confidence times the agreement |Σ w c d| / Σ w c, so analysts that cancel out give a weak signal.
/// </summary>
public static class ViewAggregator
{
    public static AggregatedView Combine(string symbol, IEnumerable<AgentView> views, Func<string, double> weightOf)
    {
        double weighted = 0, strength = 0, weights = 0;
        var contributions = new Dictionary<string, double>();
        foreach (var view in views)
        {
            if (!string.Equals(view.Symbol, symbol, StringComparison.OrdinalIgnoreCase)) continue;
            var v = view.Sanitised();
            var w = weightOf(v.Agent);
            weights += w;
            strength += w * v.Confidence;
            weighted += w * v.Confidence * v.Direction;
            contributions[v.Agent] = w * v.Confidence * v.Direction;
        }
        if (strength <= 0 || weights <= 0) return new AggregatedView(symbol, 0, 0, contributions);
        var direction = weighted / strength;
        var agreement = Math.Abs(weighted) / strength;
        var confidence = strength / weights * agreement;
        return new AggregatedView(symbol, Math.Clamp(direction, -1, 1), Math.Clamp(confidence, 0, 1), contributions);
    }
}
