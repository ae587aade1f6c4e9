using AgentFirm.Quant.Regimes;

namespace AgentFirm.Agents;

/// <summary>Which regime reader the strategic agent uses.</summary>
public enum StrategicModel
{
    /// <summary>A Gaussian hidden Markov model of the whole market, refitted on the past and filtered every step.</summary>
    Hmm,

    /// <summary>The same states as a Gaussian mixture, without time dynamics.</summary>
    Gmm,

    /// <summary>The older per-asset volatility-rank and drawdown rule (worst asset wins).</summary>
    Volatility,
}

/// <summary>
/// The strategic agent's set-up (AgentFirm:Strategic), fixed for the life of the silo: the regime model,
/// its fitting schedule in bars, and the risk budget per regime. Registered as a singleton the grain takes
/// by constructor.
/// </summary>
public sealed class StrategicSettings
{
    public const string Section = "AgentFirm:Strategic";

    /// <summary>hmm (default) | gmm | volatility.</summary>
    public string Model { get; set; } = "hmm";

    /// <summary>Hidden states fitted; mapped onto Calm / Normal / Turbulent / Crisis by volatility and mean return.</summary>
    public int States { get; set; } = 4;

    /// <summary>Bars between refits; every bar in between is filtered with the latest fit. The defaults suit hourly bars; on daily bars use e.g. 60.</summary>
    public int RefitEvery { get; set; } = 1000;

    /// <summary>Bars of market history before the first fit; the regime reads Normal until then.</summary>
    public int MinimumHistory { get; set; } = 500;

    /// <summary>Most recent bars a fit uses (0 = all of them).</summary>
    public int FitWindow { get; set; } = 2000;

    /// <summary>Bars in the short market volatility reading the model observes.</summary>
    public int VolatilityWindow { get; set; } = 1;

    /// <summary>Fraction of the full risk budget granted in each regime; the agent grants the one expected under the regime probabilities.</summary>
    public RiskBudget RiskBudget { get; set; } = new();

    public StrategicModel Kind => Model.Trim().ToLowerInvariant() switch
    {
        "hmm" => StrategicModel.Hmm,
        "gmm" => StrategicModel.Gmm,
        "volatility" => StrategicModel.Volatility,
        _ => throw new ArgumentException($"{Section}:Model '{Model}' is not one of hmm, gmm, volatility."),
    };

    public StateRegimeOptions ToOptions() => new()
    {
        Model = Kind == StrategicModel.Gmm ? StateModelKind.Gmm : StateModelKind.Hmm,
        States = States,
        RefitEvery = RefitEvery,
        MinimumHistory = MinimumHistory,
        FitWindow = FitWindow,
        VolatilityWindow = VolatilityWindow,
    };

    /// <summary>Throws <see cref="ArgumentException"/> whose message names the offending key.</summary>
    public void Validate()
    {
        _ = Kind;
        if (States is < 1 or > 8) throw new ArgumentException($"{Section}:States must be between 1 and 8, got {States}.");
        if (RefitEvery < 1) throw new ArgumentException($"{Section}:RefitEvery must be at least 1 bar, got {RefitEvery}.");
        if (MinimumHistory < Math.Max(2, 5 * States)) throw new ArgumentException($"{Section}:MinimumHistory must be at least 5 bars per state ({Math.Max(2, 5 * States)}), got {MinimumHistory}.");
        if (FitWindow != 0 && FitWindow < MinimumHistory) throw new ArgumentException($"{Section}:FitWindow must be 0 (all bars) or at least MinimumHistory ({MinimumHistory}), got {FitWindow}.");
        if (VolatilityWindow < 1) throw new ArgumentException($"{Section}:VolatilityWindow must be at least 1 bar, got {VolatilityWindow}.");
        if (RiskBudget is null) throw new ArgumentException($"{Section}:RiskBudget is missing.");
        foreach (var (name, value) in new[] { ("Calm", RiskBudget.Calm), ("Normal", RiskBudget.Normal), ("Turbulent", RiskBudget.Turbulent), ("Crisis", RiskBudget.Crisis) })
            if (!(value >= 0 && value <= 1)) throw new ArgumentException($"{Section}:RiskBudget:{name} must be in [0, 1], got {value}.");
        ToOptions().Validate(); // the library's own checks, as a backstop
    }
}
