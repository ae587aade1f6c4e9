using AgentFirm.Core;

namespace AgentFirm.Causal;

/// <summary>
/// The causal screen's input, built step by step and as-of: per traded asset its log return and log
/// volume change, plus the latest value of each side series ("SYMBOL:mvrv", ...). A value not known at a
/// step (the first bar, a gap, a series that has not started) is NaN: masked, never filled. Only the last
/// <see cref="Capacity"/> steps are kept.
/// </summary>
public sealed class RollingCausalPanel(int capacity = 320)
{
    private readonly List<DateTimeOffset> _times = new();
    private readonly Dictionary<string, List<double>> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Close, double Volume)> _previous = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Steps kept: the screen's window plus its lags, with room to spare.</summary>
    public int Capacity { get; } = capacity;

    public int Count => _times.Count;

    /// <summary>Adds the step at <paramref name="time"/>: the bars that closed then and the side series' latest values.</summary>
    public void Record(DateTimeOffset time, IEnumerable<(string Symbol, Bar Bar)> bars, IReadOnlyDictionary<string, double> series)
    {
        _times.Add(time);
        var row = new Dictionary<string, double>(series, StringComparer.Ordinal);
        foreach (var (symbol, bar) in bars)
        {
            if (_previous.TryGetValue(symbol, out var prev) && prev.Close > 0 && bar.Close > 0)
            {
                row[ReturnOf(symbol)] = Math.Log(bar.Close / prev.Close);
                row[$"{symbol}:volume_change"] = prev.Volume > 0 && bar.Volume > 0 ? Math.Log(bar.Volume / prev.Volume) : double.NaN;
            }
            _previous[symbol] = (bar.Close, bar.Volume);
        }
        foreach (var name in row.Keys)
            if (!_columns.ContainsKey(name)) _columns[name] = Enumerable.Repeat(double.NaN, _times.Count - 1).ToList();
        foreach (var (name, values) in _columns) values.Add(row.TryGetValue(name, out var v) ? v : double.NaN);
        if (_times.Count > 2 * Capacity)
        {
            var drop = _times.Count - Capacity;
            _times.RemoveRange(0, drop);
            foreach (var values in _columns.Values) values.RemoveRange(0, drop);
        }
    }

    /// <summary>
    /// The panel for one asset: its return as the target; every asset's return and volume change and the
    /// asset's own side series as candidate drivers. Null until the asset has a return column.
    /// </summary>
    public CausalPanel? For(string symbol)
    {
        var target = ReturnOf(symbol);
        if (!_columns.TryGetValue(target, out var targetValues)) return null;
        var drivers = _columns
            .Where(c => c.Key != target && (c.Key.EndsWith(":return", StringComparison.Ordinal) || c.Key.EndsWith(":volume_change", StringComparison.Ordinal) || c.Key.StartsWith(symbol + ":", StringComparison.Ordinal)))
            .Select(c => new DriverSeries(c.Key, c.Value))
            .ToList();
        return new CausalPanel(_times, targetValues, drivers);
    }

    private static string ReturnOf(string symbol) => $"{symbol}:return";
}
