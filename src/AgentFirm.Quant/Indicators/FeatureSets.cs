using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>Which feature columns to compute: the issue-5 core set, or every feature the library has.</summary>
public enum FeatureSetKind
{
    /// <summary>The 17 core columns (<see cref="CoreFeatureSet.Names"/>).</summary>
    Core,

    /// <summary>Core, then <see cref="FeatureSets.IndicatorNames"/>, then <see cref="Alpha158Features.Names"/>.</summary>
    All,
}

/// <summary>
/// The feature table for a bar series, by set. Every column at row t is computed from bars 0..t only
/// (as-of), NaN until its warm-up is over. Column names and order are a stable contract: models trained on
/// a table find their columns by name.
/// </summary>
public static class FeatureSets
{
    /// <summary>
    /// The remaining common indicators in `all`: ADX(14) with its directional indices, Keltner channels
    /// (EMA 20, 2 x ATR 10), on-balance volume, MFI(14) and a 20-bar rolling VWAP as a ratio to the close
    /// (the raw VWAP is a price level; the ratio is what a model can compare across years).
    /// </summary>
    public static IReadOnlyList<string> IndicatorNames { get; } =
        ["adx14", "plus_di14", "minus_di14", "keltner_mid", "keltner_upper", "keltner_lower", "obv", "mfi14", "vwap20", "vwap20_ratio"];

    private static readonly string[] AllNames = [.. CoreFeatureSet.Names, .. IndicatorNames, .. Alpha158Features.Names];

    public static IReadOnlyList<string> Names(FeatureSetKind kind) => kind switch
    {
        FeatureSetKind.Core => CoreFeatureSet.Names,
        FeatureSetKind.All => AllNames,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown feature set"),
    };

    /// <summary>Bars before every column of the set is defined.</summary>
    public static int WarmUpPeriod(FeatureSetKind kind) =>
        kind == FeatureSetKind.Core ? CoreFeatureSet.WarmUpPeriod : Math.Max(Math.Max(CoreFeatureSet.WarmUpPeriod, 28), Alpha158Features.WarmUpPeriod);

    /// <summary>"core" or "all" (case-insensitive); anything else throws <see cref="ArgumentException"/>.</summary>
    public static FeatureSetKind Parse(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "core" => FeatureSetKind.Core,
        "all" => FeatureSetKind.All,
        _ => throw new ArgumentException($"feature set '{text}' is not core or all"),
    };

    public static FeatureTable Compute(IReadOnlyList<Bar> bars, FeatureSetKind kind, double periodsPerYear = 365)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var core = CoreFeatureSet.Compute(bars, periodsPerYear);
        if (kind == FeatureSetKind.Core) return core;
        if (kind != FeatureSetKind.All) throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown feature set");

        var array = bars as Bar[] ?? bars.ToArray();
        var indicators = Indicators(array);
        var alpha = Alpha158Features.Compute(array);
        return new FeatureTable(AllNames, core.Times, [.. core.Columns, .. indicators, .. alpha]);
    }

    private static double[][] Indicators(Bar[] bars)
    {
        var n = bars.Length;
        var columns = new double[IndicatorNames.Count][];
        for (var c = 0; c < columns.Length; c++) columns[c] = new double[n];
        var adx = new AverageDirectionalIndex(14);
        var keltner = new KeltnerChannels(20, 10, 2);
        var obv = new OnBalanceVolume();
        var mfi = new MoneyFlowIndex(14);
        var vwap = new RollingVwap(20);
        for (var t = 0; t < n; t++)
        {
            ref readonly var bar = ref bars[t];
            adx.Update(bar);
            keltner.Update(bar);
            obv.Update(bar);
            mfi.Update(bar);
            vwap.Update(bar);
            // The DIs are published before ADX; the streaming indicator exposes them from bar n + 1.
            columns[0][t] = adx.Value;
            columns[1][t] = adx.PlusDi;
            columns[2][t] = adx.MinusDi;
            columns[3][t] = keltner.Middle;
            columns[4][t] = keltner.IsReady ? keltner.Upper : double.NaN;
            columns[5][t] = keltner.IsReady ? keltner.Lower : double.NaN;
            columns[6][t] = obv.Value;
            columns[7][t] = mfi.Value;
            columns[8][t] = vwap.Value;
            columns[9][t] = vwap.Value / bar.Close;
        }
        return columns;
    }
}
