using AgentFirm.Core;

namespace AgentFirm.Causal;

/// <summary>
/// The causal screen's input, built step by step and as-of: per traded asset its log return and log
/// volume change, plus the latest value of each side series ("SYMBOL:mvrv", ...). Side series that are growing
/// levels (active addresses, market and realised cap, hash rate, stablecoin supply) enter as the log change
/// between their last two values ("SYMBOL:hash_rate_dlog"), recorded at the step the new value arrives and
/// masked at the others, since a trending level would fake links. A value not known at a step (the first bar,
/// a gap, a series that has not started) is NaN: masked, never filled. Only the last <see cref="Capacity"/>
/// steps are kept.
/// </summary>
/// <param name="hub">The asset whose side series are candidate drivers of every asset (crypto's hub, BTC).</param>
public sealed class RollingCausalPanel(int capacity = 320, string hub = "BTC-USDT")
{
    private static readonly string[] GrowingLevels = [":active_addresses", ":market_cap", ":realised_cap", ":hash_rate", ":stablecoin_supply"];
    private readonly Dictionary<string, double> _lastLevel = new(StringComparer.Ordinal);

    private readonly List<DateTimeOffset> _times = new();
    private readonly Dictionary<string, List<double>> _columns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (double Close, double Volume)> _previous = new(StringComparer.OrdinalIgnoreCase);
    // Reused every step (a cleared dictionary fills in insertion order, as a new one would), with the column
    // names built once per symbol and series: recording a step allocates nothing once the columns exist.
    private readonly Dictionary<string, double> _row = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Return, string VolumeChange)> _assetColumns = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _changeColumns = new(StringComparer.Ordinal);

    /// <summary>Steps kept: the screen's window plus its lags, with room to spare.</summary>
    public int Capacity { get; } = capacity;

    public int Count => _times.Count;

    /// <summary>Adds the step at <paramref name="time"/>: the bars that closed then and the side series' latest values.</summary>
    public void Record(DateTimeOffset time, IEnumerable<(string Symbol, Bar Bar)> bars, IReadOnlyDictionary<string, double> series)
    {
        _times.Add(time);
        var row = _row;
        row.Clear();
        foreach (var (name, value) in series)
        {
            if (ChangeColumn(name) is not { } change)
            {
                row[name] = value;
                continue;
            }
            // a repeated value is the old point still standing, not a zero change
            var fresh = _lastLevel.TryGetValue(name, out var before) && !before.Equals(value);
            row[change] = fresh && before > 0 && value > 0 ? Math.Log(value / before) : double.NaN;
            _lastLevel[name] = value;
        }
        foreach (var (symbol, bar) in bars)
        {
            if (_previous.TryGetValue(symbol, out var prev) && prev.Close > 0 && bar.Close > 0)
            {
                var columns = AssetColumns(symbol);
                row[columns.Return] = Math.Log(bar.Close / prev.Close);
                row[columns.VolumeChange] = prev.Volume > 0 && bar.Volume > 0 ? Math.Log(bar.Volume / prev.Volume) : double.NaN;
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
    /// The panel for one asset: its return as the target; every asset's return and volume change, the asset's own
    /// and the hub's side series and market-wide series (names without a symbol) as candidate drivers. Null until
    /// the asset has a return column.
    /// </summary>
    public CausalPanel? For(string symbol)
    {
        var target = ReturnOf(symbol);
        if (!_columns.TryGetValue(target, out var targetValues)) return null;
        var drivers = _columns
            .Where(c => c.Key != target && (c.Key.EndsWith(":return", StringComparison.Ordinal) || c.Key.EndsWith(":volume_change", StringComparison.Ordinal) || c.Key.StartsWith(symbol + ":", StringComparison.Ordinal)
                || c.Key.StartsWith(hub + ":", StringComparison.Ordinal) || !c.Key.Contains(':')))
            .Select(c => new DriverSeries(c.Key, c.Value))
            .ToList();
        return new CausalPanel(_times, targetValues, drivers);
    }

    /// <summary>
    /// Every column at once, for one screen of the whole network: all returns and volume changes and every side
    /// series (so each asset's candidates are the others' side series too, not only its own and the hub's).
    /// </summary>
    public CausalNetworkPanel Network() =>
        new(_times, _columns.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new DriverSeries(c.Key, c.Value)).ToArray());

    /// <summary>The panel's name for an asset's return, or null while the asset has none.</summary>
    public string? ReturnColumn(string symbol) => _columns.ContainsKey(ReturnOf(symbol)) ? ReturnOf(symbol) : null;

    private static string ReturnOf(string symbol) => $"{symbol}:return";

    private (string Return, string VolumeChange) AssetColumns(string symbol)
    {
        if (!_assetColumns.TryGetValue(symbol, out var columns))
            _assetColumns[symbol] = columns = (ReturnOf(symbol), $"{symbol}:volume_change");
        return columns;
    }

    /// <summary>The log-change column of a growing level ("SYMBOL:hash_rate" -> "SYMBOL:hash_rate_dlog"), null for any other series.</summary>
    private string? ChangeColumn(string series)
    {
        if (_changeColumns.TryGetValue(series, out var change)) return change;
        change = null;
        foreach (var suffix in GrowingLevels)
            if (series.EndsWith(suffix, StringComparison.Ordinal)) { change = series + "_dlog"; break; }
        return _changeColumns[series] = change;
    }
}
