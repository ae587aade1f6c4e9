using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.OnChain;
using AgentFirm.Quant.Regimes;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The strategic agent: a volatility-regime reading per asset and a risk budget for the firm. It takes
/// the most severe regime across the traded assets: in crypto a storm in one asset rarely stays there.
/// The on-chain valuation regime then filters the budget: an overvalued asset (MVRV Z in its top zone) shrinks it.
/// </summary>
public sealed class StrategicGrain : Grain, IStrategicGrain
{
    private readonly Dictionary<string, VolatilityRegimeDetector> _detectors = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RegimeReading> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly RiskBudget _budget = new();
    private readonly OnChainAnalyst _onChain = new();
    private readonly OnChainRiskFilter _onChainFilter = new();

    public Task<RegimeAssessment> AssessAsync(MarketUpdate update)
    {
        foreach (var (symbol, bar) in update.Bars)
        {
            if (!_detectors.TryGetValue(symbol, out var detector))
                _detectors[symbol] = detector = new VolatilityRegimeDetector(new VolatilityRegimeOptions(), new Timeframe(bar.Duration));
            _latest[symbol] = detector.Update(bar);
        }
        OnChainSeriesFeed.AppendTo(_onChain, update.Series);
        if (_latest.Count == 0) return Task.FromResult(new RegimeAssessment(Regime.Normal, _budget.For(Regime.Normal), "no bars yet"));
        var worst = _latest.MaxBy(r => (int)r.Value.Regime);
        var regime = worst.Value.Regime;
        var (budget, note) = _onChainFilter.Apply(_budget.For(regime), _latest.Keys.Select(s => _onChain.Read(s, update.Time)));
        var rationale = $"{regime} (set by {worst.Key}: {worst.Value.Reason})";
        return Task.FromResult(new RegimeAssessment(regime, budget, note is null ? rationale : $"{rationale}; {note}"));
    }
}
