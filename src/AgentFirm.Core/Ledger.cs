namespace AgentFirm.Core;

public enum LedgerEntryKind { Deposit, OrderSubmitted, OrderVetoed, Fill, Funding, OrderCancelled }

/// <summary>
/// One event of the firm's ledger, flat so that it stores as one row. Positions, cash and equity are
/// derived from the sequence of these and nothing else. <see cref="Sequence"/> numbers events from 1
/// without gaps, which is how a replay proves it lost nothing; <see cref="Step"/> is the decision step
/// that recorded the entry (0 for the opening deposit), which makes a retried step detectable.
/// </summary>
public sealed record LedgerEntry(
    long Sequence,
    long Step,
    DateTimeOffset Time,
    LedgerEntryKind Kind,
    string Symbol,
    OrderSide Side = OrderSide.Buy,
    double Quantity = 0,
    double Price = 0,
    double Fee = 0,
    double Amount = 0,
    long OrderId = 0,
    string? Note = null);

/// <summary>
/// The fold of ledger entries into cash and positions, with the same accounting as a venue: spot fills
/// move cash by their notional, perpetual fills only realise PnL, funding moves cash, fees always do.
/// Orders and vetoes are recorded for the audit trail and change no balance.
/// </summary>
public sealed class Ledger
{
    private readonly Dictionary<string, Position> _positions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Instrument> _instruments = new(StringComparer.OrdinalIgnoreCase);

    public Ledger(IEnumerable<Instrument> instruments, string quoteCurrency)
    {
        foreach (var instrument in instruments) _instruments[instrument.Symbol] = instrument;
        QuoteCurrency = quoteCurrency;
    }

    public string QuoteCurrency { get; }
    public double Cash { get; private set; }
    public long LastSequence { get; private set; }
    public int Fills { get; private set; }
    public int Vetoes { get; private set; }
    public int FundingPayments { get; private set; }
    public long LastStep { get; private set; }
    public double FeesPaid { get; private set; }

    public IReadOnlyDictionary<string, Position> Positions => _positions;

    public double PositionQuantity(string symbol) => _positions.TryGetValue(symbol, out var p) ? p.Quantity : 0;

    /// <summary>Applies the next entry; a gap or a repeat in the sequence is refused, so replays are exact.</summary>
    public void Apply(LedgerEntry entry)
    {
        if (entry.Sequence != LastSequence + 1)
            throw new InvalidOperationException($"Ledger entry {entry.Sequence} does not follow {LastSequence}: the log has a gap or a duplicate.");
        LastSequence = entry.Sequence;
        LastStep = Math.Max(LastStep, entry.Step);
        switch (entry.Kind)
        {
            case LedgerEntryKind.Deposit:
                Cash += entry.Amount;
                break;
            case LedgerEntryKind.Fill:
                var instrument = Instrument(entry.Symbol);
                if (!_positions.TryGetValue(entry.Symbol, out var position)) _positions[entry.Symbol] = position = new Position(entry.Symbol);
                var signed = entry.Side.Sign() * entry.Quantity;
                var realized = position.Apply(signed, entry.Price);
                Cash += instrument.IsPerpetual ? realized - entry.Fee : -signed * entry.Price - entry.Fee;
                FeesPaid += entry.Fee;
                Fills++;
                break;
            case LedgerEntryKind.Funding:
                Cash += entry.Amount;
                FundingPayments++;
                break;
            case LedgerEntryKind.OrderVetoed:
                Vetoes++;
                break;
        }
    }

    /// <summary>Cash plus spot holdings at mark plus unrealised perpetual PnL.</summary>
    public double Equity(Func<string, double> mark)
    {
        var equity = Cash;
        foreach (var (symbol, position) in _positions)
        {
            if (position.Quantity == 0) continue;
            var price = mark(symbol);
            equity += Instrument(symbol).IsPerpetual ? position.UnrealizedPnl(price) : position.Quantity * price;
        }
        return equity;
    }

    private Instrument Instrument(string symbol) =>
        _instruments.TryGetValue(symbol, out var i) ? i : _instruments[symbol] = Core.Instrument.Parse(symbol);
}
