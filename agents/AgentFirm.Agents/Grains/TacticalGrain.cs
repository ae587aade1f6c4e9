using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Indicators;
using AgentFirm.Quant.Risk;
using AgentFirm.Quant.Sizing;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The tactical agent: sizes the meta-controller's calibrated calls with <see cref="ConvictionSizer"/>
/// (volatility or Kelly targeting across correlated assets, the regime's risk budget, a no-trade band
/// from costs, long-only spot) and turns the changes into order proposals with an ATR stop distance for
/// the risk check. Every target gets a note saying why it did or did not become a trade.
/// </summary>
public sealed class TacticalRole(TacticalSettings settings)
{
    private readonly Dictionary<string, AverageTrueRange> _atr = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, bool> _perpetual = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, double> _currentWeights = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, double> _atrValues = new(StringComparer.OrdinalIgnoreCase);
    private ConvictionSizer? _sizer;

    public SizingPlan Size(TargetDecision[] targets, RegimeAssessment regime, PortfolioState portfolio, MarketUpdate update)
    {
        foreach (var (symbol, bar) in update.Bars)
        {
            _sizer ??= new ConvictionSizer(settings.Options, new Timeframe(bar.Duration), settings.OneWayCostBps);
            _sizer.Update(symbol, bar.Close);
            if (!_atr.TryGetValue(symbol, out var atr)) _atr[symbol] = atr = new AverageTrueRange();
            atr.Update(bar);
        }
        if (_sizer is null || targets.Length == 0) return new SizingPlan([], []);

        _currentWeights.Clear();
        foreach (var (symbol, quantity) in portfolio.Positions)
            if (portfolio.Marks.TryGetValue(symbol, out var mark) && portfolio.Equity > 0)
                _currentWeights[symbol] = quantity * mark / portfolio.Equity;
        var signals = new EdgeSignal[targets.Length];
        for (var i = 0; i < targets.Length; i++)
            signals[i] = new EdgeSignal(targets[i].Symbol, targets[i].ProbabilityUp, targets[i].Horizon, IsPerpetual(targets[i].Symbol));
        var sized = _sizer.Size(signals, regime.RiskBudget, _currentWeights);

        // A target inside the no-trade band keeps the position as it is.
        var weights = sized.Select(t => new TargetWeight(t.Symbol, t.Trade ? t.TargetWeight : t.CurrentWeight, _sizer.Volatility(t.Symbol), t.Reason)).ToList();
        var snapshot = new PortfolioSnapshot(portfolio.Time, portfolio.Equity, portfolio.Positions, portfolio.Marks, portfolio.LastBarClose, new Timeframe(portfolio.BarDuration));
        _atrValues.Clear();
        foreach (var (symbol, atr) in _atr)
            if (atr.IsReady) _atrValues[symbol] = atr.Value;
        // Dust is not worth an order: 0.1% of equity is well below any band the costs imply.
        var plan = TargetOrders.TargetsToProposals(weights, snapshot, _atrValues, settings.Options.AtrStopMultiple, 0.001 * portfolio.Equity);
        var proposals = new ProposedOrder[plan.Proposals.Count];
        for (var i = 0; i < proposals.Length; i++)
        {
            var p = plan.Proposals[i];
            var horizon = targets.FirstOrDefault(t => t.Symbol == p.Symbol)?.Horizon ?? TimeSpan.Zero;
            proposals[i] = new ProposedOrder(p.Symbol, p.Side, p.Quantity, p.ReferencePrice, p.RiskPerUnit, p.Origin) { Horizon = horizon };
        }
        var notes = sized.Select(t => new SizingNote(t.Symbol, t.TargetWeight, t.CurrentWeight, t.Trade, t.Reason)).ToArray();
        return new SizingPlan(proposals, notes);
    }

    private bool IsPerpetual(string symbol)
    {
        if (!_perpetual.TryGetValue(symbol, out var perpetual)) _perpetual[symbol] = perpetual = Instrument.Parse(symbol).IsPerpetual;
        return perpetual;
    }
}

/// <summary>
/// The tactical agent on its own. The firm's decision step sizes in the meta-controller's activation with its
/// own <see cref="TacticalRole"/> (one grain hop fewer per step); the risk agent still reviews every proposal.
/// </summary>
public sealed class TacticalGrain(TacticalSettings settings) : Grain, ITacticalGrain
{
    private readonly TacticalRole _role = new(settings);

    public Task<SizingPlan> SizeAsync(TargetDecision[] targets, RegimeAssessment regime, PortfolioState portfolio, MarketUpdate update) =>
        Task.FromResult(_role.Size(targets, regime, portfolio, update));
}

/// <summary>The tactical agent's settings for a silo: sizing options and the one-way cost its no-trade band assumes.</summary>
public sealed record TacticalSettings(TacticalOptions Options, double OneWayCostBps);
