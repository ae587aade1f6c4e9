using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Regimes;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The strategic agent: a volatility-regime reading per asset and a risk budget for the firm. It takes
/// the most severe regime across the traded assets: in crypto a storm in one asset rarely stays there.
/// </summary>
public sealed class StrategicGrain : Grain, IStrategicGrain
{
    private readonly Dictionary<string, VolatilityRegimeDetector> _detectors = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RegimeReading> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly RiskBudget _budget = new();

    public Task<RegimeAssessment> AssessAsync(MarketUpdate update)
    {
        foreach (var (symbol, bar) in update.Bars)
        {
            if (!_detectors.TryGetValue(symbol, out var detector))
                _detectors[symbol] = detector = new VolatilityRegimeDetector(new VolatilityRegimeOptions(), new Timeframe(bar.Duration));
            _latest[symbol] = detector.Update(bar);
        }
        if (_latest.Count == 0) return Task.FromResult(new RegimeAssessment(Regime.Normal, _budget.For(Regime.Normal), "no bars yet"));
        var worst = _latest.MaxBy(r => (int)r.Value.Regime);
        var regime = worst.Value.Regime;
        return Task.FromResult(new RegimeAssessment(regime, _budget.For(regime), $"{regime} (set by {worst.Key}: {worst.Value.Reason})"));
    }
}
