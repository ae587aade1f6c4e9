namespace AgentFirm.Quant.Backtest;

/// <summary>Everything a backtest run is configured with; echoed into the report.</summary>
public sealed record BacktestOptions
{
    public double InitialCash { get; init; } = 100_000;

    /// <summary>
    /// Bars between the decision and the first bar an order may fill on. 1 (the default) means an order
    /// decided at a bar's close fills on the next bar at the earliest; 0 is not allowed (it would trade on
    /// prices the strategy already saw after they happened).
    /// </summary>
    public int LatencyBars { get; init; } = 1;

    public CostModel Costs { get; init; } = new();

    /// <summary>Most of a bar's volume one order may take; the rest keeps working on later bars.</summary>
    public double ParticipationCap { get; init; } = 0.10;

    /// <summary>
    /// Gross exposure allowed per unit of equity. 1 (the default) is a cash account: spot buys need the
    /// cash, spot cannot be shorted and cash never goes negative. Above 1 the account may borrow (cash
    /// goes negative) and short spot, up to this leverage; perpetuals are always margined up to it.
    /// </summary>
    public double MaxLeverage { get; init; } = 1;

    /// <summary>Funding for perpetuals; null means 0.01% per settlement.</summary>
    public IFundingRates? Funding { get; init; }

    /// <summary>
    /// Start of the traded and scored span, as a bar open time (the CLI's --from); null means every bar.
    /// Bars opening before it are warm-up, as in Lean: the strategy sees them and learns from them, but
    /// every order it sends is dropped before the venue (and counted), and the equity curve, metrics,
    /// fills and trades begin with the first bar opening at or after it. The run is then scored exactly
    /// like one started at this time, except that the strategy arrives informed.
    /// </summary>
    public DateTimeOffset? TradeFrom { get; init; }

    public void Validate()
    {
        if (!(InitialCash > 0) || !double.IsFinite(InitialCash)) throw new ArgumentException($"Initial cash must be positive, got {InitialCash}.");
        if (LatencyBars < 1) throw new ArgumentException($"Latency must be at least one bar (got {LatencyBars}): filling on the decision bar would use prices seen before the decision.");
        if (!(ParticipationCap > 0) || ParticipationCap > 1) throw new ArgumentException($"Participation cap must be in (0, 1], got {ParticipationCap}.");
        if (!(MaxLeverage >= 1) || !double.IsFinite(MaxLeverage)) throw new ArgumentException($"Max leverage must be >= 1, got {MaxLeverage}.");
        Costs.Validate();
    }
}
