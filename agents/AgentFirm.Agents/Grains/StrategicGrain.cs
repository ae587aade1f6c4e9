using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.OnChain;
using AgentFirm.Quant.Regimes;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The strategic agent: the market's regime and a risk budget for the firm. By default (AgentFirm:Strategic,
/// Model hmm) one hidden Markov model reads all traded assets together, since one regime drives the whole
/// crypto market: it is fitted on past bars only, refitted on a schedule, and filtered every step, so the regime
/// probabilities are as-of the step. The budget is the configured table's value expected under those
/// probabilities. Model gmm swaps in a mixture without dynamics; model volatility keeps the older per-asset
/// volatility-rank rule, worst asset wins. The on-chain valuation regime then filters the budget: an overvalued
/// asset (MVRV Z in its top zone) shrinks it.
/// </summary>
public sealed class StrategicRole
{
    private readonly RiskBudget _budget;
    private readonly StateRegimeDetector? _market;
    private readonly Dictionary<string, VolatilityRegimeDetector> _detectors = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, RegimeReading> _latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _symbols = [];
    private readonly OnChainAnalyst _onChain = new();
    private readonly OnChainRiskFilter _onChainFilter = new();

    public StrategicRole(StrategicSettings settings)
    {
        _budget = settings.RiskBudget;
        if (settings.Kind != StrategicModel.Volatility) _market = new StateRegimeDetector(settings.ToOptions());
    }

    public RegimeAssessment Assess(MarketUpdate update)
    {
        foreach (var (symbol, _) in update.Bars)
            if (!Known(symbol)) _symbols.Add(symbol);
        OnChainSeriesFeed.AppendTo(_onChain, update.Series);
        var (regime, probabilities, budget, rationale) = _market is null ? ByVolatilityRank(update) : ByStateModel(update);
        if (_symbols.Count == 0) return new RegimeAssessment(regime, budget, "no bars yet", ToContract(probabilities));
        var (filtered, note) = _onChainFilter.Apply(budget, _symbols.Select(s => _onChain.Read(s, update.Time)));
        return new RegimeAssessment(regime, filtered, note is null ? rationale : $"{rationale}; {note}", ToContract(probabilities));
    }

    private bool Known(string symbol)
    {
        foreach (var s in _symbols)
            if (string.Equals(s, symbol, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private (Regime, RegimeDistribution, double, string) ByStateModel(MarketUpdate update)
    {
        foreach (var (symbol, bar) in update.Bars) _market!.Observe(symbol, bar);
        var reading = _market!.Complete(update.Time);
        var budget = _budget.Expected(reading.Probabilities);
        return (reading.Regime, reading.Probabilities, budget, $"{reading.Regime} (market {reading.Reason}; budget {budget:0.00} expected over the regime table)");
    }

    private (Regime, RegimeDistribution, double, string) ByVolatilityRank(MarketUpdate update)
    {
        foreach (var (symbol, bar) in update.Bars)
        {
            if (!_detectors.TryGetValue(symbol, out var detector))
                _detectors[symbol] = detector = new VolatilityRegimeDetector(new VolatilityRegimeOptions(), new Timeframe(bar.Duration));
            _latest[symbol] = detector.Update(bar);
        }
        if (_latest.Count == 0) return (Regime.Normal, RegimeDistribution.Certain(Regime.Normal), _budget.For(Regime.Normal), "no bars yet");
        var worst = _latest.MaxBy(r => (int)r.Value.Regime);
        var regime = worst.Value.Regime;
        return (regime, RegimeDistribution.Certain(regime), _budget.For(regime), $"{regime} (set by {worst.Key}: {worst.Value.Reason})");
    }

    private static RegimeProbabilities ToContract(RegimeDistribution p) => new(p.Calm, p.Normal, p.Turbulent, p.Crisis);
}

/// <summary>The strategic agent on its own (the firm consults it through <see cref="AnalystDeskGrain"/>).</summary>
public sealed class StrategicGrain(StrategicSettings settings) : Grain, IStrategicGrain
{
    private readonly StrategicRole _role = new(settings);

    public Task<RegimeAssessment> AssessAsync(MarketUpdate update) => Task.FromResult(_role.Assess(update));
}
