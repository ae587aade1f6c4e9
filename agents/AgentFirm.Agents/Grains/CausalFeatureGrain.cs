using AgentFirm.Agents.Contracts;
using AgentFirm.Causal;
using AgentFirm.Core;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The causal-feature analyst: keeps a rolling, as-of panel per asset (its return as the target; every
/// traded asset's return and volume change and the asset's on-chain series as candidate drivers) and
/// screens which drivers lead the return. The screen runs once per day of bars (it is the expensive
/// part); between screens the latest view stands.
/// </summary>
public sealed class CausalFeatureGrain : Grain, ICausalFeatureGrain
{
    private const int Capacity = 320; // the screen's window (250) plus its lags, with room to spare
    private readonly CausalFeatureAnalyst _analyst = new();
    private readonly List<DateTimeOffset> _times = new();
    private readonly Dictionary<string, List<double>> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Close, double Volume)> _previous = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, double> _latestSeries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AgentView> _lastViews = new(StringComparer.OrdinalIgnoreCase);
    private int _stepsSinceScreen = int.MaxValue;

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update)
    {
        foreach (var point in update.Series) _latestSeries[point.Series] = point.Value;
        AppendRow(update);

        var barsPerDay = update.Bars.Length > 0 ? Math.Max(1, (int)(TimeSpan.FromDays(1) / update.Bars[0].Bar.Duration)) : 1;
        var rescreen = ++_stepsSinceScreen >= barsPerDay;
        var views = new AgentView[update.Bars.Length];
        for (var i = 0; i < views.Length; i++)
        {
            var symbol = update.Bars[i].Symbol;
            if (rescreen || !_lastViews.TryGetValue(symbol, out var view))
            {
                view = Assess(symbol, update.Time);
                _lastViews[symbol] = view;
            }
            views[i] = view with { AsOf = update.Time };
        }
        if (rescreen) _stepsSinceScreen = 0;
        return Task.FromResult(new AnalystReport(CausalFeatureAnalyst.AgentName, views));
    }

    private AgentView Assess(string symbol, DateTimeOffset now)
    {
        if (!_columns.TryGetValue($"{symbol}:return", out var target))
            return AgentView.Neutral(CausalFeatureAnalyst.AgentName, symbol, now, TimeSpan.FromDays(1), "Causal screen: no returns yet.");
        var drivers = _columns.Where(c => c.Key != $"{symbol}:return" && (c.Key.EndsWith(":return") || c.Key.EndsWith(":volume_change") || c.Key.StartsWith(symbol + ":", StringComparison.Ordinal)))
            .Select(c => new DriverSeries(c.Key, c.Value)).ToList();
        return _analyst.Assess(symbol, new CausalPanel(_times, target, drivers), _times.Count - 1);
    }

    /// <summary>One row per step: NaN where a value is unknown (a gap, or before a series starts): masked, never filled.</summary>
    private void AppendRow(MarketUpdate update)
    {
        _times.Add(update.Time);
        var row = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (symbol, bar) in update.Bars)
        {
            if (_previous.TryGetValue(symbol, out var prev) && prev.Close > 0 && bar.Close > 0)
            {
                row[$"{symbol}:return"] = Math.Log(bar.Close / prev.Close);
                row[$"{symbol}:volume_change"] = prev.Volume > 0 && bar.Volume > 0 ? Math.Log(bar.Volume / prev.Volume) : double.NaN;
            }
            _previous[symbol] = (bar.Close, bar.Volume);
        }
        foreach (var (series, value) in _latestSeries) row[series] = value;
        foreach (var name in row.Keys) EnsureColumn(name);
        foreach (var (name, values) in _columns) values.Add(row.TryGetValue(name, out var v) ? v : double.NaN);
        if (_times.Count > 2 * Capacity)
        {
            var drop = _times.Count - Capacity;
            _times.RemoveRange(0, drop);
            foreach (var values in _columns.Values) values.RemoveRange(0, drop);
        }
    }

    /// <summary>Adds a column first seen at the current step, unknown (NaN) for every earlier step.</summary>
    private void EnsureColumn(string name)
    {
        if (!_columns.ContainsKey(name)) _columns[name] = Enumerable.Repeat(double.NaN, _times.Count - 1).ToList();
    }
}
