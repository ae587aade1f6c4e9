using System.Globalization;

namespace AgentFirm.Quant.Execution;

/// <summary>The execution algorithms a parent order can be given.</summary>
public enum AlgorithmKind
{
    Market,
    Twap,
    Vwap,
    LimitPeg,
}

/// <summary>What the planner knows about an order when it chooses. Volume and volatility are per decision bar, from bars already closed.</summary>
/// <param name="BarVolume">Mean volume of a recent decision bar, base units (0 when unknown).</param>
/// <param name="VolatilityBps">Standard deviation of a decision bar's return, bps (0 when unknown).</param>
/// <param name="HasVolumeProfile">Finer bars with past days exist, so a VWAP profile can be learned.</param>
public readonly record struct OrderContext(
    double Quantity, double BarVolume, TimeSpan BarDuration, TimeSpan ViewHorizon, double SpreadBps, double VolatilityBps,
    bool Reducing, bool HasVolumeProfile);

/// <summary>The algorithm and horizon chosen for one order, and why, in words a reviewer can check.</summary>
public sealed record ExecutionChoice(AlgorithmKind Algorithm, TimeSpan Horizon, string Reason)
{
    public string Name => Algorithm switch
    {
        AlgorithmKind.Market => "market",
        AlgorithmKind.Twap => "twap",
        AlgorithmKind.Vwap => "vwap",
        _ => "limit-peg",
    };
}

/// <summary>
/// Chooses how to work an order from its size against the market's volume, its urgency (the view's horizon) and
/// the spread against volatility:
/// <list type="bullet">
/// <item>reducing risk, or no volume history: market, now;</item>
/// <item>small (at most <see cref="PassiveMaxParticipation"/> of a bar), not urgent, and a spread worth saving
///   (half spread at least <see cref="PassiveSpreadToVolatility"/> of a bar's volatility, so waiting risks little
///   next to what resting earns): limit-peg over one bar, falling back to market halfway;</item>
/// <item>small and urgent: market;</item>
/// <item>otherwise a schedule long enough to keep participation near <see cref="TargetParticipation"/>, at most
///   <see cref="MaxHorizonShareOfView"/> of the view's horizon (one bar when urgent): VWAP where a volume
///   profile can be learned, TWAP where it cannot.</item>
/// </list>
/// </summary>
public sealed record ExecutionPlanner
{
    public double PassiveMaxParticipation { get; init; } = 0.01;
    public double PassiveSpreadToVolatility { get; init; } = 0.05;
    public double TargetParticipation { get; init; } = 0.05;
    public int UrgentHorizonBars { get; init; } = 5;
    public double MaxHorizonShareOfView { get; init; } = 0.25;
    public int MaxHorizonBars { get; init; } = 24;
    /// <summary>Work schedules as VWAP where a volume profile can be learned; false keeps them TWAP (to compare the two).</summary>
    public bool UseVwap { get; init; } = true;

    public void Validate()
    {
        if (!(PassiveMaxParticipation >= 0 && PassiveMaxParticipation <= 1)) throw new ArgumentException($"Planner: PassiveMaxParticipation must be in [0, 1], got {PassiveMaxParticipation}.");
        if (!(PassiveSpreadToVolatility >= 0) || !double.IsFinite(PassiveSpreadToVolatility)) throw new ArgumentException($"Planner: PassiveSpreadToVolatility must be finite and >= 0, got {PassiveSpreadToVolatility}.");
        if (!(TargetParticipation > 0 && TargetParticipation <= 1)) throw new ArgumentException($"Planner: TargetParticipation must be in (0, 1], got {TargetParticipation}.");
        if (UrgentHorizonBars < 0) throw new ArgumentException($"Planner: UrgentHorizonBars must be >= 0, got {UrgentHorizonBars}.");
        if (!(MaxHorizonShareOfView > 0 && MaxHorizonShareOfView <= 1)) throw new ArgumentException($"Planner: MaxHorizonShareOfView must be in (0, 1], got {MaxHorizonShareOfView}.");
        if (MaxHorizonBars < 1) throw new ArgumentException($"Planner: MaxHorizonBars must be >= 1, got {MaxHorizonBars}.");
    }

    public ExecutionChoice Choose(in OrderContext order)
    {
        var bar = order.BarDuration;
        if (order.Reducing) return new ExecutionChoice(AlgorithmKind.Market, bar, "reduces the position: out now, at market");
        if (!(order.BarVolume > 0)) return new ExecutionChoice(AlgorithmKind.Market, bar, "no volume history to pace against: market");
        var participation = order.Quantity / order.BarVolume;
        var viewBars = bar > TimeSpan.Zero ? order.ViewHorizon / bar : 0;
        var urgent = viewBars < UrgentHorizonBars;
        var size = $"{F(participation * 100)}% of a bar's volume";
        if (participation <= PassiveMaxParticipation && !urgent && order.SpreadBps / 2 >= PassiveSpreadToVolatility * order.VolatilityBps)
            return new ExecutionChoice(AlgorithmKind.LimitPeg, bar,
                $"{size}, view {F(viewBars)} bars, half spread {F(order.SpreadBps / 2)} bp vs volatility {F(order.VolatilityBps)} bp a bar: rest at the touch, market after half a bar");
        if (participation <= TargetParticipation && urgent)
            return new ExecutionChoice(AlgorithmKind.Market, bar, $"{size} and urgent (view {F(viewBars)} bars): market");
        var needed = Math.Max(1, (int)Math.Ceiling(participation / TargetParticipation));
        var allowed = urgent ? 1 : Math.Clamp((int)Math.Floor(viewBars * MaxHorizonShareOfView), 1, MaxHorizonBars);
        var bars = Math.Min(needed, allowed);
        var kind = order.HasVolumeProfile && UseVwap ? AlgorithmKind.Vwap : AlgorithmKind.Twap;
        var why = bars < needed ? $", capped at {bars} by the view's horizon ({F(viewBars)} bars)" : "";
        return new ExecutionChoice(kind, bars * bar,
            $"{size}: {(kind == AlgorithmKind.Vwap ? "VWAP" : "TWAP (no intraday profile)")} over {bars} bar{(bars == 1 ? "" : "s")} for about {F(TargetParticipation * 100)}% participation{why}");
    }

    private static string F(double x) => x.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>The algorithm object that works a choice on the sub-step venue.</summary>
    public static IExecutionAlgorithm Create(ExecutionChoice choice, int steps) => choice.Algorithm switch
    {
        AlgorithmKind.Market => new MarketNow(),
        AlgorithmKind.Twap => new Twap(),
        AlgorithmKind.Vwap => new Vwap(),
        _ => new LimitPeg(Math.Max(1, steps / 2)),
    };
}
