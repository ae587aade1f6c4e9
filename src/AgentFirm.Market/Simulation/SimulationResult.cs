using AgentFirm.Core;

namespace AgentFirm.Market.Simulation;

/// <summary>
/// One UTC day of on-chain metrics for an asset. <see cref="Time"/> is the day's start (the shared data's
/// convention); the values describe the whole day and are known only at its end. Null = no value that day.
/// </summary>
public readonly record struct OnChainRecord(DateTimeOffset Time, double? Mvrv, double? ExchangeNetflow, double? ActiveAddresses)
{
    public DateTimeOffset KnownAt => Time + TimeSpan.FromDays(1);
}

public sealed record SimulatedAsset(AssetProfile Profile, IReadOnlyList<Bar> Bars, IReadOnlyList<OnChainRecord> OnChain)
{
    public string Symbol => Profile.Symbol;
}

/// <summary>
/// A relationship the simulator plants on purpose: the feature, observed on day d, adds
/// <c>Coefficient * feature * daily vol</c> to the log return of day d + <see cref="LagDays"/>.
/// <see cref="Sign"/> is the sign an honest analysis should recover.
/// </summary>
public sealed record PlantedRelationship(string Name, string Feature, double Coefficient, int LagDays, int Sign, string Formula);

/// <summary>A stretch of consecutive days in one regime, [Start, End).</summary>
public sealed record RegimeSpan(DateTimeOffset Start, DateTimeOffset End, MarketRegime Regime);

public sealed record SimulationResult(
    SimulatorOptions Options,
    IReadOnlyList<SimulatedAsset> Assets,
    IReadOnlyList<Headline> Headlines,
    IReadOnlyList<MarketRegime> DailyRegimes,
    double[,] Correlation,
    IReadOnlyList<PlantedRelationship> Planted)
{
    public SimulatedAsset this[string symbol] =>
        Assets.FirstOrDefault(a => a.Symbol == symbol) ?? throw new KeyNotFoundException($"No simulated asset {symbol}.");

    /// <summary>Share of days spent in each regime, in <see cref="MarketRegime"/> order.</summary>
    public double[] RegimeShares()
    {
        var shares = new double[Enum.GetValues<MarketRegime>().Length];
        foreach (var regime in DailyRegimes) shares[(int)regime] += 1.0 / DailyRegimes.Count;
        return shares;
    }

    public IReadOnlyList<RegimeSpan> RegimeSpans()
    {
        var spans = new List<RegimeSpan>();
        var start = 0;
        for (var d = 1; d <= DailyRegimes.Count; d++)
        {
            if (d < DailyRegimes.Count && DailyRegimes[d] == DailyRegimes[start]) continue;
            spans.Add(new RegimeSpan(Options.Start.AddDays(start), Options.Start.AddDays(d), DailyRegimes[start]));
            start = d;
        }
        return spans;
    }

    /// <summary>
    /// Annualised volatility of daily (UTC day) log returns: the horizon the configured volatility targets,
    /// since the planted drifts act per day and barely show in the variance of single intraday bars.
    /// </summary>
    public double DailyRealisedVolatility(SimulatedAsset asset)
    {
        var barsPerDay = Options.BarsPerDay;
        var closes = new List<Bar>(asset.Bars.Count / barsPerDay + 1) { asset.Bars[0] with { Close = asset.Bars[0].Open } };
        for (var t = barsPerDay - 1; t < asset.Bars.Count; t += barsPerDay) closes.Add(asset.Bars[t]);
        return RealisedVolatility(closes, Timeframe.Day);
    }

    /// <summary>Annualised standard deviation of close-to-close log returns.</summary>
    public static double RealisedVolatility(IReadOnlyList<Bar> bars, Timeframe timeframe)
    {
        if (bars.Count < 3) return double.NaN;
        double sum = 0, sumSq = 0;
        for (var t = 1; t < bars.Count; t++)
        {
            var r = Math.Log(bars[t].Close / bars[t - 1].Close);
            sum += r;
            sumSq += r * r;
        }
        var n = bars.Count - 1;
        var variance = (sumSq - sum * sum / n) / (n - 1);
        return Math.Sqrt(Math.Max(0, variance) * timeframe.PeriodsPerYear);
    }
}
