using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

/// <summary>
/// One trade from flat back to flat (or to a flip) in a symbol. PnL is net of the fees and funding that
/// fell inside it; an open trip has no exit yet.
/// </summary>
public sealed record RoundTrip(
    string Symbol,
    OrderSide Direction,
    DateTimeOffset EntryTime,
    DateTimeOffset? ExitTime,
    double Quantity,
    double EntryPrice,
    double? ExitPrice,
    double Fees,
    double Funding,
    double NetPnl)
{
    public bool IsClosed => ExitTime is not null;
}

/// <summary>Builds round trips from fills, splitting a fill that closes one trip and opens the next.</summary>
internal sealed class RoundTripTracker
{
    private readonly Dictionary<string, OpenTrip> _open = new();
    private readonly List<RoundTrip> _closed = new();

    public IReadOnlyList<RoundTrip> Closed => _closed;

    public void OnFill(Fill fill, double positionBefore)
    {
        var remaining = fill.Quantity;
        var feePerUnit = fill.Fee / fill.Quantity;
        if (positionBefore != 0 && Math.Sign(positionBefore) != fill.Side.Sign() && _open.TryGetValue(fill.Symbol, out var trip))
        {
            var closing = Math.Min(remaining, Math.Abs(positionBefore));
            trip.ExitQuantity += closing;
            trip.ExitNotional += closing * fill.Price;
            trip.Fees += closing * feePerUnit;
            remaining -= closing;
            if (closing >= Math.Abs(positionBefore) - 1e-12 * Math.Abs(positionBefore))
            {
                _closed.Add(trip.ToRoundTrip(fill.Time));
                _open.Remove(fill.Symbol);
            }
        }
        if (remaining <= 1e-15) return;
        if (!_open.TryGetValue(fill.Symbol, out var current))
        {
            current = new OpenTrip(fill.Symbol, fill.Side, fill.Time);
            _open[fill.Symbol] = current;
        }
        current.EntryQuantity += remaining;
        current.EntryNotional += remaining * fill.Price;
        current.Fees += remaining * feePerUnit;
    }

    public void OnFunding(FundingPayment payment)
    {
        if (_open.TryGetValue(payment.Symbol, out var trip)) trip.Funding += payment.Amount;
    }

    /// <summary>Closed trips followed by the ones still open, marked at the given prices.</summary>
    public IReadOnlyList<RoundTrip> All(Func<string, double> mark)
    {
        var all = new List<RoundTrip>(_closed);
        all.AddRange(_open.Values.Select(t => t.ToOpenRoundTrip(mark(t.Symbol))));
        return all;
    }

    private sealed class OpenTrip(string symbol, OrderSide direction, DateTimeOffset entryTime)
    {
        public string Symbol { get; } = symbol;
        public double EntryQuantity, EntryNotional, ExitQuantity, ExitNotional, Fees, Funding;

        private double EntryPrice => EntryNotional / EntryQuantity;

        public RoundTrip ToRoundTrip(DateTimeOffset exitTime)
        {
            var exitPrice = ExitNotional / ExitQuantity;
            var gross = direction.Sign() * (ExitNotional - EntryPrice * ExitQuantity);
            return new RoundTrip(Symbol, direction, entryTime, exitTime, EntryQuantity, EntryPrice, exitPrice, Fees, Funding, gross - Fees + Funding);
        }

        public RoundTrip ToOpenRoundTrip(double mark)
        {
            var openQuantity = EntryQuantity - ExitQuantity;
            var gross = direction.Sign() * (ExitNotional - EntryPrice * ExitQuantity + openQuantity * (mark - EntryPrice));
            return new RoundTrip(Symbol, direction, entryTime, null, EntryQuantity, EntryPrice, null, Fees, Funding, gross - Fees + Funding);
        }
    }
}
