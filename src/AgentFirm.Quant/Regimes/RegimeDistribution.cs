using AgentFirm.Core;

namespace AgentFirm.Quant.Regimes;

/// <summary>Probabilities of the firm's four regimes at one time; they sum to one.</summary>
public readonly record struct RegimeDistribution(double Calm, double Normal, double Turbulent, double Crisis)
{
    public static RegimeDistribution Certain(Regime regime) => regime switch
    {
        Regime.Calm => new(1, 0, 0, 0),
        Regime.Normal => new(0, 1, 0, 0),
        Regime.Turbulent => new(0, 0, 1, 0),
        _ => new(0, 0, 0, 1),
    };

    public double For(Regime regime) => regime switch
    {
        Regime.Calm => Calm,
        Regime.Normal => Normal,
        Regime.Turbulent => Turbulent,
        _ => Crisis,
    };

    /// <summary>The most probable regime; a tie goes to the more severe one, the cautious reading.</summary>
    public Regime MostLikely
    {
        get
        {
            var best = Regime.Calm;
            var p = Calm;
            if (Normal >= p) (best, p) = (Regime.Normal, Normal);
            if (Turbulent >= p) (best, p) = (Regime.Turbulent, Turbulent);
            if (Crisis >= p) best = Regime.Crisis;
            return best;
        }
    }
}

/// <summary>
/// Which firm regime each fitted state stands for, read from the state's parameters alone (so it survives
/// a refit that numbers the states differently). A state is Crisis only when its market volatility is at
/// least <see cref="StateRegimeMapOptions.CrisisVolatilityRatio"/> times the long-run typical level AND its
/// mean standardised return is at or below <see cref="StateRegimeMapOptions.CrisisMeanReturn"/>: a violent
/// sell-off, not merely "below the all-time high". The other states are ranked by volatility: one state is
/// Normal; two are Normal and Turbulent; three or more spread from Calm (quietest) over Normal to Turbulent
/// (loudest), rank r of n taking round(2 r / (n - 1)).
/// </summary>
public sealed class StateRegimeMap
{
    private readonly Regime[] _regimes;

    private StateRegimeMap(Regime[] regimes, double typicalVolatility)
    {
        _regimes = regimes;
        TypicalVolatility = typicalVolatility;
    }

    public IReadOnlyList<Regime> Regimes => _regimes;

    /// <summary>The long-run share-weighted mean of the states' volatility readings, the yardstick for "extreme".</summary>
    public double TypicalVolatility { get; }

    public Regime this[int state] => _regimes[state];

    public static StateRegimeMap For(IStateModel model, StateRegimeMapOptions options)
    {
        var k = model.States;
        var shares = model.LongRunShares();
        var typical = 0.0;
        for (var s = 0; s < k; s++) typical += shares[s] * model.Mean(s, MarketObservations.VolatilityDim);
        var regimes = new Regime[k];
        var crisisGap = Math.Log(options.CrisisVolatilityRatio);
        var others = new List<int>(k);
        for (var s = 0; s < k; s++)
        {
            var extreme = model.Mean(s, MarketObservations.VolatilityDim) - typical >= crisisGap;
            var losing = model.Mean(s, MarketObservations.ReturnDim) <= options.CrisisMeanReturn;
            if (extreme && losing) regimes[s] = Regime.Crisis;
            else others.Add(s);
        }
        others.Sort((a, b) => model.Mean(a, MarketObservations.VolatilityDim).CompareTo(model.Mean(b, MarketObservations.VolatilityDim)));
        for (var rank = 0; rank < others.Count; rank++)
            regimes[others[rank]] = others.Count switch
            {
                1 => Regime.Normal,
                2 => rank == 0 ? Regime.Normal : Regime.Turbulent,
                _ => (Regime)(int)Math.Round(2.0 * rank / (others.Count - 1), MidpointRounding.AwayFromZero),
            };
        return new StateRegimeMap(regimes, typical);
    }

    /// <summary>Adds up the state probabilities by the regime each state stands for.</summary>
    public RegimeDistribution Aggregate(ReadOnlySpan<double> stateProbabilities)
    {
        double calm = 0, normal = 0, turbulent = 0, crisis = 0;
        for (var s = 0; s < _regimes.Length; s++)
        {
            var p = stateProbabilities[s];
            switch (_regimes[s])
            {
                case Regime.Calm: calm += p; break;
                case Regime.Normal: normal += p; break;
                case Regime.Turbulent: turbulent += p; break;
                default: crisis += p; break;
            }
        }
        return new RegimeDistribution(calm, normal, turbulent, crisis);
    }
}

public sealed record StateRegimeMapOptions
{
    /// <summary>How many times the typical market volatility a state needs before it can be Crisis.</summary>
    public double CrisisVolatilityRatio { get; init; } = 2.0;

    /// <summary>The mean standardised return per bar (in each asset's usual volatilities) a Crisis state must be at or below.</summary>
    public double CrisisMeanReturn { get; init; } = -0.1;

    public void Validate()
    {
        if (!(CrisisVolatilityRatio > 1) || !double.IsFinite(CrisisVolatilityRatio))
            throw new ArgumentException($"{nameof(CrisisVolatilityRatio)} must be a finite number above 1, got {CrisisVolatilityRatio}.", nameof(CrisisVolatilityRatio));
        if (!(CrisisMeanReturn < 0) || !double.IsFinite(CrisisMeanReturn))
            throw new ArgumentException($"{nameof(CrisisMeanReturn)} must be a finite negative number, got {CrisisMeanReturn}.", nameof(CrisisMeanReturn));
    }
}
