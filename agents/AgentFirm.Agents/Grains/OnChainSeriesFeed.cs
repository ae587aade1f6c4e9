using AgentFirm.Agents.Contracts;
using AgentFirm.Quant.OnChain;

namespace AgentFirm.Agents.Grains;

/// <summary>Folds the "SYMBOL:metric" points of a market update into an on-chain analyst, one observation per asset and release time.</summary>
internal static class OnChainSeriesFeed
{
    private static readonly TimeSpan Period = TimeSpan.FromDays(1);

    public static void AppendTo(OnChainAnalyst analyst, IEnumerable<SeriesPoint> series)
    {
        // Points released together for one asset and one publication time form one observation.
        foreach (var group in series.Where(p => OnChainSeriesNames.MetricOf(p.Series) is not null)
                     .GroupBy(p => (Symbol: OnChainSeriesNames.SymbolOf(p.Series)!, p.KnownAt)))
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var p in group)
                if (double.IsFinite(p.Value)) values[OnChainSeriesNames.MetricOf(p.Series)!] = p.Value;
            analyst.Append(group.Key.Symbol, OnChainSeriesNames.FromValues(group.Key.KnownAt - Period, group.Key.KnownAt,
                m => values.TryGetValue(m, out var v) ? v : null));
        }
    }
}
