using AgentFirm.Core;

namespace AgentFirm.Quant.Regimes;

/// <summary>
/// The fraction of the full risk budget the strategic stage grants in each regime; the tactical sizer
/// multiplies target weights by it. Configurable; each fraction in [0, 1].
/// </summary>
public sealed record RiskBudget
{
    public double Calm { get; init; } = 1.0;
    public double Normal { get; init; } = 0.8;
    public double Turbulent { get; init; } = 0.5;
    public double Crisis { get; init; } = 0.2;

    public double For(Regime regime) => regime switch
    {
        Regime.Calm => Calm,
        Regime.Normal => Normal,
        Regime.Turbulent => Turbulent,
        Regime.Crisis => Crisis,
        _ => Crisis, // an unknown regime gets the most cautious budget
    };

    /// <summary>
    /// The budget expected under the regime probabilities, sum_r P(r) x budget(r): it moves smoothly as the
    /// odds shift instead of jumping when the most likely regime changes.
    /// </summary>
    public double Expected(RegimeDistribution probabilities) =>
        probabilities.Calm * Calm + probabilities.Normal * Normal + probabilities.Turbulent * Turbulent + probabilities.Crisis * Crisis;

    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(Calm), Calm), (nameof(Normal), Normal), (nameof(Turbulent), Turbulent), (nameof(Crisis), Crisis) })
            if (!(value >= 0 && value <= 1))
                throw new ArgumentException($"RiskBudget.{name} must be in [0, 1], got {value}.", name);
    }
}
