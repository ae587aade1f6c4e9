namespace AgentFirm.Quant.Sizing;

/// <summary>How the tactical agent turns a calibrated edge into a position size.</summary>
public enum SizingMethod
{
    /// <summary>Volatility targeting scaled by conviction (edge over the edge of full conviction).</summary>
    VolatilityTarget,

    /// <summary>A fraction of the correlation-aware Kelly weights Σ⁻¹μ, capped at the volatility target.</summary>
    Kelly,
}

/// <summary>The tactical agent's sizing settings (AgentFirm:Tactical).</summary>
public sealed record TacticalOptions
{
    /// <summary>Annualised volatility of the whole book at full conviction and full risk budget.</summary>
    public double TargetVolatility { get; init; } = 0.20;

    /// <summary>Edge 2p - 1 at which conviction is full (p = 0.55 by default: a daily call right 55% of the time is a strong one); smaller edges scale the book down linearly.</summary>
    public double FullConvictionEdge { get; init; } = 0.1;

    public SizingMethod Method { get; init; } = SizingMethod.VolatilityTarget;

    /// <summary>Share of the Kelly weights taken with <see cref="SizingMethod.Kelly"/>.</summary>
    public double KellyFraction { get; init; } = 0.25;

    /// <summary>Returns in each asset's volatility estimate, and in the correlation estimate.</summary>
    public int VolatilityWindow { get; init; } = 30;
    public int CorrelationWindow { get; init; } = 90;

    /// <summary>Largest |weight| of one asset and largest gross exposure of the book, as fractions of equity.</summary>
    public double MaxWeight { get; init; } = 1.0;
    public double MaxGross { get; init; } = 1.0;

    /// <summary>
    /// One-way trading cost assumed by the no-trade band, in basis points of notional (fee + half spread +
    /// slippage). Null takes it from the backtest's cost settings.
    /// </summary>
    public double? CostBps { get; init; }

    /// <summary>Stop distance in ATRs that the per-trade risk check assumes.</summary>
    public double AtrStopMultiple { get; init; } = 2.0;

    public void Validate()
    {
        static void Positive(double value, string name)
        {
            if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentException($"AgentFirm:Tactical:{name} must be positive, got {value}.");
        }
        Positive(TargetVolatility, nameof(TargetVolatility));
        Positive(MaxWeight, nameof(MaxWeight));
        Positive(MaxGross, nameof(MaxGross));
        Positive(AtrStopMultiple, nameof(AtrStopMultiple));
        if (!(FullConvictionEdge is > 0 and <= 1)) throw new ArgumentException($"AgentFirm:Tactical:FullConvictionEdge must be in (0, 1], got {FullConvictionEdge}.");
        if (!(KellyFraction is > 0 and <= 1)) throw new ArgumentException($"AgentFirm:Tactical:KellyFraction must be in (0, 1], got {KellyFraction}.");
        if (VolatilityWindow < 2) throw new ArgumentException($"AgentFirm:Tactical:VolatilityWindow must be at least 2, got {VolatilityWindow}.");
        if (CorrelationWindow < 10) throw new ArgumentException($"AgentFirm:Tactical:CorrelationWindow must be at least 10, got {CorrelationWindow}.");
        if (CostBps is { } c && !(c >= 0 && double.IsFinite(c))) throw new ArgumentException($"AgentFirm:Tactical:CostBps must be >= 0, got {c}.");
        if (!Enum.IsDefined(Method)) throw new ArgumentException($"AgentFirm:Tactical:Method must be VolatilityTarget or Kelly, got {Method}.");
    }
}
