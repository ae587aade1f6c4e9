using AgentFirm.Core;

namespace AgentFirm.Market.Simulation;

/// <summary>The market state the simulator's hidden Markov chain moves through, one step per UTC day.</summary>
public enum MarketRegime { Bull, Bear, Sideways, Crash }

/// <summary>
/// How one regime moves prices: drift as an annualised Sharpe ratio (so alts with higher volatility move
/// more in the same regime), a multiplier on volatility, and the row of the daily transition matrix.
/// </summary>
public sealed record RegimeSettings(MarketRegime Regime, double AnnualSharpe, double VolatilityScale, IReadOnlyList<double> DailyTransitions);

/// <summary>
/// A Markov chain over bull, bear, sideways and crash (Hamilton 1989 style regime switching). Rows of the
/// daily transition matrix are in <see cref="MarketRegime"/> order and sum to 1. Crash is rare to enter
/// and quick to leave (about 3 days, roughly one a year), as in the March 2020 or May 2021 / June 2022 / FTX sell-offs.
/// </summary>
public sealed record RegimeModel(IReadOnlyList<RegimeSettings> Regimes)
{
    public static RegimeModel Default { get; } = new(
    [
        //                                      to:  Bull    Bear    Side    Crash
        new(MarketRegime.Bull, 1.5, 0.90, [0.9850, 0.0040, 0.0090, 0.0020]),
        new(MarketRegime.Bear, -1.2, 1.15, [0.0040, 0.9800, 0.0120, 0.0040]),
        new(MarketRegime.Sideways, 0.0, 0.70, [0.0080, 0.0060, 0.9840, 0.0020]),
        new(MarketRegime.Crash, -25.0, 2.50, [0.0500, 0.2500, 0.0500, 0.6500]),
    ]);

    public RegimeSettings this[MarketRegime regime] => Regimes[(int)regime];

    /// <summary>The same chain and volatilities with every regime's drift set to zero (the no-signal control).</summary>
    public RegimeModel WithoutDrift() => new(Regimes.Select(r => r with { AnnualSharpe = 0 }).ToList());

    public int Count => Regimes.Count;

    /// <summary>The chain's stationary distribution (pi = pi P), by power iteration from the uniform vector.</summary>
    public double[] StationaryDistribution()
    {
        var n = Count;
        var pi = Enumerable.Repeat(1.0 / n, n).ToArray();
        var next = new double[n];
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            Array.Clear(next);
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                    next[j] += pi[i] * Regimes[i].DailyTransitions[j];
            var change = 0.0;
            for (var j = 0; j < n; j++) change += Math.Abs(next[j] - pi[j]);
            (pi, next) = (next, pi);
            if (change < 1e-15) break;
        }
        return pi;
    }

    /// <summary>Expected stay in days, 1 / (1 - p_ii).</summary>
    public double ExpectedDurationDays(MarketRegime regime) => 1.0 / (1.0 - this[regime].DailyTransitions[(int)regime]);

    internal void Validate()
    {
        var names = Enum.GetValues<MarketRegime>();
        if (Regimes.Count != names.Length) throw new BadInputException($"The regime model needs exactly {names.Length} regimes ({string.Join(", ", names)}).");
        for (var i = 0; i < names.Length; i++)
        {
            var r = Regimes[i];
            if (r.Regime != names[i]) throw new BadInputException($"Regime {i} must be {names[i]}, got {r.Regime}.");
            if (r.DailyTransitions.Count != names.Length) throw new BadInputException($"Regime {r.Regime}: a transition row needs {names.Length} probabilities.");
            if (r.DailyTransitions.Any(p => !(p >= 0) || p > 1) || Math.Abs(r.DailyTransitions.Sum() - 1) > 1e-9)
                throw new BadInputException($"Regime {r.Regime}: transition probabilities must lie in [0, 1] and sum to 1.");
            if (!(r.VolatilityScale > 0) || !double.IsFinite(r.VolatilityScale) || !double.IsFinite(r.AnnualSharpe))
                throw new BadInputException($"Regime {r.Regime}: volatility scale must be positive and drift finite.");
        }
    }
}
