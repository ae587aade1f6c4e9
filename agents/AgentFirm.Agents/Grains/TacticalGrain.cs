using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Indicators;
using AgentFirm.Quant.Risk;
using AgentFirm.Quant.Sizing;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The tactical agent: volatility-targeted sizing scaled by the meta decision's confidence and the
/// strategic risk budget, turned into order proposals with an ATR-based stop distance for the risk check.
/// </summary>
public sealed class TacticalGrain : Grain, ITacticalGrain
{
    private const double AtrStopMultiple = 2.0;
    // Rebalancing only when a target moves by 2% of equity keeps fees from eating the edge.
    private const double MinimumTradeShareOfEquity = 0.02;
    private readonly Dictionary<string, AverageTrueRange> _atr = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, bool> _perpetual = new(StringComparer.OrdinalIgnoreCase);
    private VolatilityTargetSizer? _sizer;

    public Task<ProposedOrder[]> SizeAsync(TargetDecision[] targets, RegimeAssessment regime, PortfolioState portfolio, MarketUpdate update)
    {
        foreach (var (symbol, bar) in update.Bars)
        {
            _sizer ??= new VolatilityTargetSizer(new VolatilityTargetOptions { MaxWeight = 1.0 / Math.Max(1, targets.Length) }, new Timeframe(bar.Duration));
            _sizer.Update(symbol, bar);
            if (!_atr.TryGetValue(symbol, out var atr)) _atr[symbol] = atr = new AverageTrueRange();
            atr.Update(bar);
        }
        if (_sizer is null) return Task.FromResult(Array.Empty<ProposedOrder>());

        // Spot is long-only for the firm: a bearish view on a spot pair means "hold none"; shorts go through perpetuals.
        var weights = _sizer.Targets(targets.Select(t => new AssetSignal(t.Symbol, t.Direction, t.Confidence)), regime.RiskBudget)
            .Select(w => w.Weight < 0 && !IsPerpetual(w.Symbol) ? w with { Weight = 0, Reason = w.Reason + "; spot is long-only, so flat" } : w)
            .ToList();
        var snapshot = new PortfolioSnapshot(portfolio.Time, portfolio.Equity, portfolio.Positions, portfolio.Marks, portfolio.LastBarClose, new Timeframe(portfolio.BarDuration));
        var atrValues = _atr.Where(a => a.Value.IsReady).ToDictionary(a => a.Key, a => a.Value.Value);
        var plan = TargetOrders.TargetsToProposals(weights, snapshot, atrValues, AtrStopMultiple, MinimumTradeShareOfEquity * portfolio.Equity);
        return Task.FromResult(plan.Proposals
            .Select(p => new ProposedOrder(p.Symbol, p.Side, p.Quantity, p.ReferencePrice, p.RiskPerUnit, p.Origin))
            .ToArray());
    }

    private bool IsPerpetual(string symbol)
    {
        if (!_perpetual.TryGetValue(symbol, out var perpetual)) _perpetual[symbol] = perpetual = Instrument.Parse(symbol).IsPerpetual;
        return perpetual;
    }
}
