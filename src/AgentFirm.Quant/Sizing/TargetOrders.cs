using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Quant.Risk;

namespace AgentFirm.Quant.Sizing;

/// <summary>A target position as a signed fraction of equity, with the volatility it was sized from and why.</summary>
public sealed record TargetWeight(string Symbol, double Weight, double? AssetVolatility, string Reason);

/// <summary>The orders that move the book to its targets, and the targets that produced none with why.</summary>
public sealed record ProposalPlan(IReadOnlyList<OrderProposal> Proposals, IReadOnlyList<string> Skipped);

/// <summary>Turns target weights into order proposals: the difference between target and current position.</summary>
public static class TargetOrders
{
    /// <summary>
    /// For each target: target quantity = weight x equity / mark; the order is target minus the current
    /// position. Risk per unit is ATR x <paramref name="atrMultiple"/> (the stop distance); without a valid
    /// ATR it is 0, which the risk engine reads as "may reduce, may not open". Trades below
    /// <paramref name="minimumTradeNotional"/> are skipped, except a close to flat, so flat means flat.
    /// Symbols held but absent from the targets are left alone (no view is not a sell signal).
    /// </summary>
    public static ProposalPlan TargetsToProposals(
        IReadOnlyList<TargetWeight> targets,
        PortfolioSnapshot portfolio,
        IReadOnlyDictionary<string, double> atr,
        double atrMultiple,
        double minimumTradeNotional,
        string origin = "tactical")
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(atr);
        var proposals = new List<OrderProposal>();
        var skipped = new List<string>();
        var equity = portfolio.Equity;
        if (!double.IsFinite(equity) || equity <= 0)
        {
            skipped.AddRange(targets.Select(t => Inv($"{t.Symbol}: equity is {equity}; cannot size")));
            return new ProposalPlan(proposals, skipped);
        }

        foreach (var target in targets)
        {
            var symbol = target.Symbol;
            if (!portfolio.Marks.TryGetValue(symbol, out var mark) || !double.IsFinite(mark) || mark <= 0)
            {
                skipped.Add($"{symbol}: no positive mark to size against");
                continue;
            }
            if (!double.IsFinite(target.Weight))
            {
                skipped.Add(Inv($"{symbol}: target weight is {target.Weight}"));
                continue;
            }
            var current = portfolio.Positions.GetValueOrDefault(symbol);
            if (!double.IsFinite(current))
            {
                skipped.Add(Inv($"{symbol}: current position is {current}"));
                continue;
            }
            var targetQuantity = target.Weight * equity / mark;
            var delta = targetQuantity - current;
            if (delta == 0) continue;
            var closesToFlat = targetQuantity == 0;
            if (!closesToFlat && Math.Abs(delta) * mark < minimumTradeNotional)
            {
                skipped.Add(Inv($"{symbol}: trade of {Math.Abs(delta) * mark:0.00} is below the minimum notional {minimumTradeNotional:0.00}"));
                continue;
            }
            var riskPerUnit = atr.TryGetValue(symbol, out var a) && double.IsFinite(a) && a > 0 && double.IsFinite(atrMultiple) && atrMultiple > 0
                ? a * atrMultiple
                : 0;
            proposals.Add(new OrderProposal(symbol, delta > 0 ? OrderSide.Buy : OrderSide.Sell, Math.Abs(delta), mark, riskPerUnit, origin));
        }
        return new ProposalPlan(proposals, skipped);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
