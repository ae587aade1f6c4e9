namespace AgentFirm.Quant.OnChain;

/// <summary>
/// How on-chain observations travel through the firm's side-data feed: one point per metric, named
/// "SYMBOL:metric", released at the row's known-at time. Producers (file loaders, the simulator adapter) and
/// consumers (analyst and strategic grains) share these names so they cannot drift apart.
/// </summary>
public static class OnChainSeriesNames
{
    public const string Mvrv = "mvrv", ExchangeNetflow = "exchange_netflow", ActiveAddresses = "active_addresses",
        MarketCap = "market_cap", RealisedCap = "realised_cap", Sopr = "sopr", SthSopr = "sth_sopr",
        StablecoinSupply = "stablecoin_supply", HashRate = "hash_rate", FundingRate = "funding_rate",
        TakerBuyFraction = "taker_buy_fraction", FearGreed = "fear_greed";

    public static IReadOnlyList<string> All { get; } =
        [Mvrv, ExchangeNetflow, ActiveAddresses, MarketCap, RealisedCap, Sopr, SthSopr, StablecoinSupply, HashRate, FundingRate, TakerBuyFraction, FearGreed];

    /// <summary>The metrics a row holds (missing ones are left out: masked, never sent as zero).</summary>
    public static IEnumerable<(string Metric, double Value)> Values(OnChainObservation o)
    {
        foreach (var (name, value) in new[]
                 {
                     (Mvrv, o.Mvrv), (ExchangeNetflow, o.ExchangeNetflow), (ActiveAddresses, o.ActiveAddresses), (MarketCap, o.MarketCap),
                     (RealisedCap, o.RealisedCap), (Sopr, o.Sopr), (SthSopr, o.SthSopr), (StablecoinSupply, o.StablecoinSupply),
                     (HashRate, o.HashRate), (FundingRate, o.FundingRate), (TakerBuyFraction, o.TakerBuyFraction), (FearGreed, o.FearGreed),
                 })
            if (value is { } v && double.IsFinite(v)) yield return (name, v);
    }

    /// <summary>Rebuilds a row from its metrics; <paramref name="metric"/> returns null for a metric that was not sent.</summary>
    public static OnChainObservation FromValues(DateTimeOffset time, DateTimeOffset knownAt, Func<string, double?> metric) =>
        new(time, knownAt, metric(Mvrv), metric(ExchangeNetflow), metric(ActiveAddresses), metric(MarketCap), metric(RealisedCap),
            metric(Sopr), metric(SthSopr), metric(StablecoinSupply), metric(HashRate), metric(FundingRate), metric(TakerBuyFraction), metric(FearGreed));

    /// <summary>The symbol part of "SYMBOL:metric", or null when the name has no symbol.</summary>
    public static string? SymbolOf(string series)
    {
        var colon = series.IndexOf(':');
        return colon > 0 ? series[..colon] : null;
    }

    /// <summary>The metric part of "SYMBOL:metric" when it is one of <see cref="All"/>, else null.</summary>
    public static string? MetricOf(string series)
    {
        var colon = series.IndexOf(':');
        if (colon <= 0) return null;
        var metric = series[(colon + 1)..];
        return All.Contains(metric) ? metric : null;
    }
}
