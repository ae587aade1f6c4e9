using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Quant.OnChain;

/// <summary>
/// The on-chain valuation regime as a filter on the strategic risk budget: the budget is multiplied by the factor
/// of the richest regime among the traded assets (one overvalued asset is enough to be careful; in crypto the
/// majors top together). Factors are fixed settings in [0, 1], never fitted; Unknown and Fair leave the budget alone.
/// </summary>
public sealed record OnChainRiskFilter(double OvervaluedFactor = 0.5, double UndervaluedFactor = 1.0)
{
    public void Validate()
    {
        if (!(OvervaluedFactor is >= 0 and <= 1)) throw new BadInputException($"On-chain overvalued budget factor must be in [0, 1], got {OvervaluedFactor}.");
        if (!(UndervaluedFactor is >= 0 and <= 1)) throw new BadInputException($"On-chain undervalued budget factor must be in [0, 1], got {UndervaluedFactor}.");
    }

    public double FactorFor(ValuationRegime regime) => regime switch
    {
        ValuationRegime.Overvalued => OvervaluedFactor,
        ValuationRegime.Undervalued => UndervaluedFactor,
        _ => 1.0,
    };

    /// <summary>The scaled budget and, when a reading changed it, a note saying which asset and why.</summary>
    public (double Budget, string? Note) Apply(double budget, IEnumerable<OnChainReading> readings)
    {
        OnChainReading? binding = null;
        var factor = 1.0;
        foreach (var r in readings)
        {
            var f = FactorFor(r.Regime);
            if (f < factor) (factor, binding) = (f, r);
        }
        if (binding is null) return (budget, null);
        var measure = binding.MvrvZ is { } z
            ? string.Create(CultureInfo.InvariantCulture, $"MVRV Z {z:0.00}")
            : string.Create(CultureInfo.InvariantCulture, $"MVRV ratio z {binding.MvrvRatioZ:0.00}");
        return (budget * factor, string.Create(CultureInfo.InvariantCulture,
            $"on-chain {binding.Regime.ToString().ToLowerInvariant()} ({binding.Symbol}, {measure}): budget x{factor:0.##}"));
    }
}
