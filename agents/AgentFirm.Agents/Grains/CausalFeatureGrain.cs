using AgentFirm.Agents.Contracts;
using AgentFirm.Causal;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The causal-feature analyst: keeps a rolling, as-of panel of returns, volume changes and side series
/// and finds the causal parents of each asset's return with PCMCI + ParCorr (see <see cref="PcmciScreen"/>).
/// The screen runs once per day of bars (it is the expensive part, so its cost per step stays bounded);
/// between screens the cached view stands.
/// </summary>
public sealed class CausalFeatureGrain : Grain, ICausalFeatureGrain
{
    private readonly CausalFeatureAnalyst _analyst = new();
    private readonly RollingCausalPanel _panel = new();
    private readonly Dictionary<string, double> _latestSeries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentView> _lastViews = new(StringComparer.OrdinalIgnoreCase);
    private int _stepsSinceScreen = int.MaxValue;

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update)
    {
        foreach (var point in update.Series) _latestSeries[point.Series] = point.Value;
        _panel.Record(update.Time, update.Bars.Select(b => (b.Symbol, b.Bar)), _latestSeries);

        var barsPerDay = update.Bars.Length > 0 ? Math.Max(1, (int)(TimeSpan.FromDays(1) / update.Bars[0].Bar.Duration)) : 1;
        var rescreen = ++_stepsSinceScreen >= barsPerDay;
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++)
        {
            var symbol = update.Bars[i].Symbol;
            if (rescreen || !_lastViews.TryGetValue(symbol, out var view))
            {
                view = _panel.For(symbol) is { } panel
                    ? _analyst.Assess(symbol, panel, panel.Times.Count - 1)
                    : AgentView.Neutral(CausalFeatureAnalyst.AgentName, symbol, update.Time, TimeSpan.FromDays(1), "Causal screen: no returns yet.");
                _lastViews[symbol] = view;
            }
            views[i] = view with { AsOf = update.Time };
        }
        if (rescreen) _stepsSinceScreen = 0;
        return Task.FromResult(new AnalystReport(CausalFeatureAnalyst.AgentName, views));
    }
}
