using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Quant.OnChain;

namespace AgentFirm.Quant.Panels;

/// <summary>A rectangular time panel: one row per step, one column per variable, NaN = missing (written as an empty cell).</summary>
public sealed record PanelTable(IReadOnlyList<DateTimeOffset> Times, IReadOnlyList<string> Names, IReadOnlyList<double[]> Columns)
{
    /// <summary>CSV with a leading timestamp column, then one column per variable; missing values are empty cells.</summary>
    public void WriteCsv(TextWriter writer, bool timestamp = true)
    {
        writer.Write(timestamp ? "timestamp," + string.Join(',', Names) : string.Join(',', Names));
        writer.Write('\n');
        for (var t = 0; t < Times.Count; t++)
        {
            if (timestamp) writer.Write(Times[t].UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            for (var c = 0; c < Columns.Count; c++)
            {
                if (timestamp || c > 0) writer.Write(',');
                var v = Columns[c][t];
                if (double.IsFinite(v)) writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
            }
            writer.Write('\n');
        }
    }

    /// <summary>Rows where every column has a value.</summary>
    public int CompleteRows => Enumerable.Range(0, Times.Count).Count(t => Columns.All(c => double.IsFinite(c[t])));
}

/// <summary>
/// Builds the input of a causal analysis from bars and on-chain rows: per asset the log return ln(C_t / C_(t-1)) and
/// the log volume change ln(V_t / V_(t-1)), and chosen on-chain metrics transformed towards stationarity. Every
/// value at step t uses rows stamped t and t - step only (a bar stamped t is the period starting at t, as is an
/// on-chain row stamped t, so both describe the same period). Nothing is filled: a missing input gives NaN.
/// </summary>
public static class CausalPanelBuilder
{
    private enum Transform { Level, LogChange }

    private sealed record Metric(string Column, Func<OnChainObservation, double?> Value, Transform Transform, string Description);

    /// <summary>The on-chain metrics a panel can hold, by name: levels for bounded rates, log changes for growing levels.</summary>
    private static readonly Dictionary<string, Metric> Metrics = new(StringComparer.Ordinal)
    {
        [OnChainSeriesNames.Mvrv] = new("mvrv_dlog", o => o.Mvrv ?? (o.MarketCap / o.RealisedCap), Transform.LogChange, "log change of MVRV"),
        [OnChainSeriesNames.ActiveAddresses] = new("addresses_dlog", o => o.ActiveAddresses, Transform.LogChange, "log change of active addresses"),
        [OnChainSeriesNames.HashRate] = new("hashrate_dlog", o => o.HashRate, Transform.LogChange, "log change of hash rate"),
        [OnChainSeriesNames.StablecoinSupply] = new("stablecoins_dlog", o => o.StablecoinSupply, Transform.LogChange, "log change of stablecoin supply"),
        [OnChainSeriesNames.Sopr] = new("sopr", o => o.Sopr, Transform.Level, "SOPR"),
        [OnChainSeriesNames.ExchangeNetflow] = new("netflow", o => o.ExchangeNetflow, Transform.Level, "exchange netflow"),
        [OnChainSeriesNames.FundingRate] = new("funding", o => o.FundingRate, Transform.Level, "perpetual funding rate"),
        [OnChainSeriesNames.TakerBuyFraction] = new("taker_buy", o => o.TakerBuyFraction, Transform.Level, "taker-buy fraction"),
        [OnChainSeriesNames.FearGreed] = new("fear_greed", o => o.FearGreed, Transform.Level, "Fear & Greed index"),
    };

    public static IReadOnlyCollection<string> KnownMetrics => Metrics.Keys;

    /// <param name="assets">Each asset's short name (becomes NAME_ret, NAME_lvol) and ascending bars.</param>
    /// <param name="onChain">Ascending on-chain rows on the same step (may be empty).</param>
    /// <param name="metrics">On-chain metric names (see <see cref="KnownMetrics"/>).</param>
    /// <param name="from">First step; default the earliest bar. <paramref name="to"/>: last step; default the latest bar.</param>
    public static PanelTable Build(IReadOnlyList<(string Name, IReadOnlyList<Bar> Bars)> assets, IReadOnlyList<OnChainObservation> onChain,
        IReadOnlyList<string> metrics, TimeSpan step, DateTimeOffset? from = null, DateTimeOffset? to = null, bool volume = true)
    {
        if (assets.Count == 0) throw new BadInputException("A causal panel needs at least one asset.");
        if (step <= TimeSpan.Zero) throw new BadInputException($"The panel step must be positive, got {step}.");
        foreach (var m in metrics)
            if (!Metrics.ContainsKey(m)) throw new BadInputException($"Unknown on-chain metric '{m}'; known: {string.Join(", ", Metrics.Keys)}.");
        var first = from ?? assets.Where(a => a.Bars.Count > 0).Select(a => a.Bars[0].Time).DefaultIfEmpty().Min();
        var last = to ?? assets.Where(a => a.Bars.Count > 0).Select(a => a.Bars[^1].Time).DefaultIfEmpty().Max();
        if (last < first) throw new BadInputException($"The panel span is empty: {first:O} .. {last:O}.");
        var times = new List<DateTimeOffset>();
        for (var t = first; t <= last; t += step) times.Add(t);

        var names = new List<string>();
        var columns = new List<double[]>();
        foreach (var (name, bars) in assets)
        {
            var byTime = new Dictionary<DateTimeOffset, Bar>();
            foreach (var b in bars) byTime[b.Time] = b;
            names.Add($"{name}_ret");
            columns.Add(Column(times, t => byTime.TryGetValue(t, out var b) ? b.Close : null, step, Transform.LogChange));
            if (!volume) continue;
            names.Add($"{name}_lvol");
            columns.Add(Column(times, t => byTime.TryGetValue(t, out var b) ? b.Volume : null, step, Transform.LogChange));
        }
        var rows = new Dictionary<DateTimeOffset, OnChainObservation>();
        foreach (var o in onChain) rows[o.Time] = o;
        foreach (var m in metrics.Distinct())
        {
            var metric = Metrics[m];
            names.Add(metric.Column);
            columns.Add(Column(times, t => rows.TryGetValue(t, out var o) ? metric.Value(o) : null, step, metric.Transform));
        }
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
            throw new BadInputException($"Two panel columns share a name: {string.Join(", ", names.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))}.");
        return new PanelTable(times, names, columns);
    }

    private static double[] Column(List<DateTimeOffset> times, Func<DateTimeOffset, double?> value, TimeSpan step, Transform transform)
    {
        var column = new double[times.Count];
        for (var i = 0; i < times.Count; i++)
        {
            var now = value(times[i]);
            column[i] = transform switch
            {
                Transform.Level => now ?? double.NaN,
                // zero or negative levels (a zero-volume outage bar) have no log change: masked, not clipped
                _ => now is { } x && x > 0 && value(times[i] - step) is { } y && y > 0 ? Math.Log(x / y) : double.NaN,
            };
        }
        return column;
    }
}
