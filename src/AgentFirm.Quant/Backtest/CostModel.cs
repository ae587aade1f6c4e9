namespace AgentFirm.Quant.Backtest;

/// <summary>
/// What trading costs. Fees are charged on notional in the quote currency: takers (market and stop
/// orders, and limit orders marketable on arrival) pay <see cref="TakerFeeBps"/>, resting limit orders
/// pay <see cref="MakerFeeBps"/>. Aggressive fills also pay half the quoted spread, a fixed slippage and
/// a market-impact term that grows with the square root of participation (the "square-root law" of
/// impact; see e.g. Tóth et al., "Anomalous price impact and the critical nature of liquidity", 2011):
/// <c>cost_bps = spread/2 + slippage + impact × sqrt(fill quantity / bar volume)</c>.
/// </summary>
public sealed record CostModel
{
    /// <summary>Binance spot's base tier (0.1%) is the default for both sides.</summary>
    public double TakerFeeBps { get; init; } = 10;
    public double MakerFeeBps { get; init; } = 10;
    /// <summary>Full quoted bid-ask spread; a market order pays half of it.</summary>
    public double SpreadBps { get; init; } = 2;
    /// <summary>Fixed extra slippage on aggressive fills.</summary>
    public double SlippageBps { get; init; } = 0;
    /// <summary>Impact in bps when an order takes the whole bar's volume; scaled by sqrt(participation).</summary>
    public double ImpactBps { get; init; } = 50;

    public static CostModel Free { get; } = new() { TakerFeeBps = 0, MakerFeeBps = 0, SpreadBps = 0, SlippageBps = 0, ImpactBps = 0 };

    /// <summary>Price move against an aggressive order, as a fraction of the reference price.</summary>
    public double AggressiveCostFraction(double participation) =>
        (SpreadBps / 2 + SlippageBps + ImpactBps * Math.Sqrt(Math.Max(0, participation))) / 10_000.0;

    public void Validate()
    {
        foreach (var (name, value) in new[] { ("taker fee", TakerFeeBps), ("spread", SpreadBps), ("slippage", SlippageBps), ("impact", ImpactBps) })
            if (!double.IsFinite(value) || value < 0) throw new ArgumentException($"The {name} must be a finite number of basis points >= 0, got {value}.");
        // A negative maker fee is a rebate, which some venues pay.
        if (!double.IsFinite(MakerFeeBps) || MakerFeeBps < -100) throw new ArgumentException($"The maker fee must be finite and above -100 bps, got {MakerFeeBps}.");
    }
}
