namespace AgentFirm.Quant.OnChain;

/// <summary>
/// One row of on-chain metrics for an asset. <see cref="Time"/> is the period's start (the shared data's
/// convention: a daily row is stamped at 00:00 UTC) and the values describe the whole period, so they are
/// known only at <see cref="KnownAt"/>. Null = no value in the source: masked, never filled.
/// </summary>
public readonly record struct OnChainObservation(
    DateTimeOffset Time,
    DateTimeOffset KnownAt,
    double? Mvrv,
    double? ExchangeNetflow,
    double? ActiveAddresses);
