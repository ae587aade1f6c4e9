using AgentFirm.Agents.Contracts;
using AgentFirm.Causal;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The causal-feature analyst: keeps a rolling, as-of panel of returns, volume changes and side series
/// and finds the causal parents of each asset's return with PCMCI + ParCorr (see <see cref="PcmciScreen"/>).
/// The screen runs once per day of bars and at most every 5 steps of its 250-step window (it is the expensive
/// part, so its cost per step stays bounded); between screens the cached view stands.
/// </summary>
public sealed class CausalFeatureGrain : Grain, ICausalFeatureGrain
{
    private readonly CausalFeatureAnalyst _analyst = new();
    private readonly RollingCausalPanel _panel = new();
    private readonly Dictionary<string, double> _latestSeries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentView> _lastViews = new(StringComparer.OrdinalIgnoreCase);
    private int _stepsSinceScreen;

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update)
    {
        foreach (var point in update.Series) _latestSeries[point.Series] = point.Value;
        _panel.Record(update.Time, update.Bars.Select(b => (b.Symbol, b.Bar)), _latestSeries);

        // Screen at most once a day of bars and once per 2% of the window (every 5 steps of a 250-step window):
        // consecutive windows overlap almost entirely, and PCMCI is the expensive part of the firm's step.
        var barsPerDay = update.Bars.Length > 0 ? Math.Max(1, (int)(TimeSpan.FromDays(1) / update.Bars[0].Bar.Duration)) : 1;
        var every = Math.Max(barsPerDay, Math.Max(1, _analyst.Options.Screen.Window / 50));
        // a symbol never screened (the first step, a newly listed asset) is screened at once
        var rescreen = ++_stepsSinceScreen >= every || update.Bars.Any(b => !_lastViews.ContainsKey(b.Symbol));
        if (rescreen)
        {
            // one PCMCI run over the whole panel serves every asset
            var targets = update.Bars.Select(b => (b.Symbol, Target: _panel.ReturnColumn(b.Symbol))).Where(t => t.Target is not null)
                .Select(t => (t.Symbol, t.Target!)).ToArray();
            var screened = targets.Length > 0 ? _analyst.AssessNetwork(_panel.Network(), targets, _panel.Count - 1) : new Dictionary<string, AgentView>();
            foreach (var bar in update.Bars)
                _lastViews[bar.Symbol] = screened.TryGetValue(bar.Symbol, out var view)
                    ? view
                    : AgentView.Neutral(CausalFeatureAnalyst.AgentName, bar.Symbol, update.Time, TimeSpan.FromDays(1), "Causal screen: no returns yet.");
        }
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++)
        {
            var symbol = update.Bars[i].Symbol;
            views[i] = _lastViews.TryGetValue(symbol, out var view)
                ? view with { AsOf = update.Time }
                : AgentView.Neutral(CausalFeatureAnalyst.AgentName, symbol, update.Time, TimeSpan.FromDays(1), "Causal screen: no returns yet.");
        }
        if (rescreen) _stepsSinceScreen = 0;
        return Task.FromResult(new AnalystReport(CausalFeatureAnalyst.AgentName, views));
    }
}
