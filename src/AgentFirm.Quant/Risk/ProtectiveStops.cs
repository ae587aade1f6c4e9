using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Quant.Risk;

/// <summary>A protective stop resting at the venue: reduce-only, on the side that closes the position.</summary>
public sealed record RestingStop(string Symbol, long OrderId, OrderSide Side, double Quantity, double StopPrice);

/// <summary>The stop a position should carry: reduce-only, <paramref name="Quantity"/> = |position|, and why at this level.</summary>
public sealed record StopLevel(string Symbol, OrderSide Side, double Quantity, double StopPrice, string Reason);

/// <summary>Where this step's sizing put the stop for a symbol it traded: reference price minus the ATR stop distance.</summary>
public readonly record struct StopBasis(double ReferencePrice, double RiskPerUnit);

/// <summary>
/// Sets the protective stop of every open position. A position that just opened or grew gets the stop its
/// per-trade risk was sized for (the trade's reference price minus its ATR stop distance); one that did not
/// trade keeps its resting stop. Then the whole book is fitted to the loss budget: if the sum over positions
/// of |quantity| x distance from the mark to the stop exceeds the loss budget it is given (the risk engine's
/// <see cref="RiskEngine.CommittableLossBudget"/>: a share of what is left of the daily-loss and drawdown
/// limits, less exit costs), every distance shrinks by the same factor, so that being stopped out everywhere at once costs at
/// most the budget (plus whatever the price gaps past the stops, plus costs). A position with no stop and no
/// sizing stop gets an equal share of the budget. Stops only ever tighten while a position is unchanged.
/// </summary>
public static class ProtectiveStops
{
    public static StopLevel[] Plan(
        IReadOnlyDictionary<string, double> expectedPositions,
        IReadOnlyDictionary<string, double> marks,
        IReadOnlyDictionary<string, StopBasis>? basis,
        IReadOnlyList<RestingStop>? resting,
        double lossBudget)
    {
        ArgumentNullException.ThrowIfNull(expectedPositions);
        ArgumentNullException.ThrowIfNull(marks);
        var budget = double.IsFinite(lossBudget) ? Math.Max(0, lossBudget) : 0;
        var open = 0;
        foreach (var (_, q) in expectedPositions)
            if (q != 0 && double.IsFinite(q)) open++;
        if (open == 0) return [];

        var rows = new (string Symbol, double Quantity, double Mark, double Distance, string Source)[open];
        var n = 0;
        double sum = 0;
        foreach (var (symbol, q) in expectedPositions)
        {
            if (q == 0 || !double.IsFinite(q)) continue;
            var mark = marks.TryGetValue(symbol, out var m) && double.IsFinite(m) && m > 0 ? m : double.NaN;
            var s = Math.Sign(q);
            double distance;
            string source;
            if (basis is not null && basis.TryGetValue(symbol, out var b) && b.RiskPerUnit > 0 && b.ReferencePrice > 0)
            {
                if (double.IsNaN(mark)) mark = b.ReferencePrice;
                distance = Math.Max(0, s * (mark - (b.ReferencePrice - s * b.RiskPerUnit)));
                source = "the ATR stop the trade was sized for";
            }
            else if (Resting(resting, symbol, s) is { } r && !double.IsNaN(mark))
            {
                distance = Math.Max(0, s * (mark - r.StopPrice));
                source = "kept";
            }
            else
            {
                distance = double.PositiveInfinity;
                source = "no sizing stop: an equal share of the loss budget";
            }
            rows[n++] = (symbol, q, mark, distance, source);
        }

        // Positions without a stop of their own share the budget equally with all the others.
        for (var i = 0; i < n; i++)
            if (double.IsPositiveInfinity(rows[i].Distance)) rows[i].Distance = budget / open / Math.Abs(rows[i].Quantity);
        for (var i = 0; i < n; i++) sum += Math.Abs(rows[i].Quantity) * rows[i].Distance;
        var scale = sum > budget ? (sum > 0 ? budget / sum : 0) : 1;

        var levels = new List<StopLevel>(n);
        for (var i = 0; i < n; i++)
        {
            var (symbol, q, mark, distance, source) = rows[i];
            if (double.IsNaN(mark)) continue; // no price to place it against; the review already refused to open on it
            var s = Math.Sign(q);
            var d = distance * scale;
            var level = mark - s * d;
            var why = scale < 1
                ? Inv($"{source}, tightened to {scale:P1} of its distance so that all stops together lose at most the {budget:0.00} the limits let them commit")
                : source;
            if (!(level > 0))
            {
                level = mark * 1e-3; // a long that can lose all of itself within budget still carries a stop
                why = "the position can lose its whole value within budget; stop at 0.1% of the mark";
            }
            levels.Add(new StopLevel(symbol, s > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(q), level, why));
        }
        return levels.ToArray();
    }

    private static RestingStop? Resting(IReadOnlyList<RestingStop>? resting, string symbol, int positionSign)
    {
        if (resting is null) return null;
        foreach (var r in resting)
            if (string.Equals(r.Symbol, symbol, StringComparison.OrdinalIgnoreCase) && r.Side.Sign() == -positionSign) return r;
        return null;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
