namespace AgentFirm.Quant.OnChain;

/// <summary>
/// One row of on-chain (and related side) metrics for an asset. <see cref="Time"/> is the period's start (the
/// shared data's convention: a daily row is stamped at 00:00 UTC) and the values describe the whole period, so
/// they are known only at <see cref="KnownAt"/>. Null = no value in the source: masked, never filled.
/// </summary>
/// <param name="Mvrv">Market value / realised value.</param>
/// <param name="ExchangeNetflow">Coins moved onto exchanges minus coins moved off them (positive = supply to sell).</param>
/// <param name="ActiveAddresses">Addresses active in the period.</param>
/// <param name="MarketCap">Market capitalisation in USD.</param>
/// <param name="RealisedCap">Realised capitalisation in USD (every coin valued at the price it last moved).</param>
/// <param name="Sopr">Spent output profit ratio: value of spent outputs when spent / when created.</param>
/// <param name="SthSopr">SOPR of outputs younger than about 155 days (short-term holders).</param>
/// <param name="StablecoinSupply">Stablecoin supply in USD (e.g. USDT market cap), the sidelined buying power.</param>
/// <param name="HashRate">Network hash rate; only its ratios are used, so the unit only has to be consistent.</param>
/// <param name="FundingRate">Perpetual funding rate of the period (mean of its payments).</param>
/// <param name="TakerBuyFraction">Taker-buy volume / total volume.</param>
/// <param name="FearGreed">Crypto Fear &amp; Greed index, 0..100.</param>
public readonly record struct OnChainObservation(
    DateTimeOffset Time,
    DateTimeOffset KnownAt,
    double? Mvrv,
    double? ExchangeNetflow,
    double? ActiveAddresses,
    double? MarketCap = null,
    double? RealisedCap = null,
    double? Sopr = null,
    double? SthSopr = null,
    double? StablecoinSupply = null,
    double? HashRate = null,
    double? FundingRate = null,
    double? TakerBuyFraction = null,
    double? FearGreed = null);
