using AgentFirm.Agents.Contracts;
using AgentFirm.Causal;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The causal-feature analyst: keeps a rolling, as-of panel of returns, volume changes and side series
/// and finds the causal parents of each asset's return with PCMCI + ParCorr (see <see cref="PcmciScreen"/>).
/// The screen runs on the <see cref="ScreenSchedule"/> (once per day of bars, at most every 5 steps of its 250-step
/// window); between screens the cached view stands.
/// </summary>
public sealed class CausalFeatureRole
{
    private readonly CausalFeatureAnalyst _analyst = new();
    private readonly RollingCausalPanel _panel = new();
    private readonly Dictionary<string, double> _latestSeries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentView> _lastViews = new(StringComparer.OrdinalIgnoreCase);
    private readonly ScreenSchedule _schedule;

    public CausalFeatureRole() => _schedule = new ScreenSchedule(_analyst.Options.Screen.Window);

    public AnalystReport Analyse(MarketUpdate update)
    {
        foreach (var point in update.Series) _latestSeries[point.Series] = point.Value;
        _panel.Record(update.Time, update.Bars.Select(b => (b.Symbol, b.Bar)), _latestSeries);

        var rescreen = _schedule.Due(update.Bars.Length > 0 ? update.Bars[0].Bar.Duration : TimeSpan.Zero, Unscreened(update.Bars));
        if (rescreen)
        {
            // one PCMCI run over the whole panel serves every asset
            var targets = update.Bars.Select(b => (b.Symbol, Target: _panel.ReturnColumn(b.Symbol))).Where(t => t.Target is not null)
                .Select(t => (t.Symbol, t.Target!)).ToArray();
            var screened = targets.Length > 0 ? _analyst.AssessNetwork(_panel.Network(), targets, _panel.Count - 1) : new Dictionary<string, AgentView>();
            foreach (var bar in update.Bars)
                _lastViews[bar.Symbol] = screened.TryGetValue(bar.Symbol, out var view)
                    ? view
                    : NoReturnsYet(bar.Symbol, update.Time);
        }
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++)
        {
            var symbol = update.Bars[i].Symbol;
            views[i] = _lastViews.TryGetValue(symbol, out var view)
                ? view with { AsOf = update.Time }
                : NoReturnsYet(symbol, update.Time);
        }
        return new AnalystReport(CausalFeatureAnalyst.AgentName, views);
    }

    private bool Unscreened(SymbolBar[] bars)
    {
        foreach (var b in bars)
            if (!_lastViews.ContainsKey(b.Symbol)) return true;
        return false;
    }

    private static AgentView NoReturnsYet(string symbol, DateTimeOffset time) =>
        AgentView.Neutral(CausalFeatureAnalyst.AgentName, symbol, time, TimeSpan.FromDays(1), "Causal screen: no returns yet.");
}

/// <summary>The causal-feature analyst on its own (the firm consults it through <see cref="AnalystDeskGrain"/>).</summary>
public sealed class CausalFeatureGrain : Grain, ICausalFeatureGrain
{
    private readonly CausalFeatureRole _role = new();

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update) => Task.FromResult(_role.Analyse(update));
}
