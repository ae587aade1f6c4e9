namespace AgentFirm.Core;

/// <summary>Cash balances by currency. Whether a balance may go negative is the account's rule, not the book's.</summary>
public sealed class CashBook
{
    private readonly Dictionary<string, double> _balances = new(StringComparer.OrdinalIgnoreCase);

    public double this[string currency] => _balances.TryGetValue(currency, out var v) ? v : 0.0;

    public IReadOnlyDictionary<string, double> Balances => _balances;

    public void Add(string currency, double amount)
    {
        if (!double.IsFinite(amount)) throw new ArgumentException($"Cash amount for {currency} must be finite, got {amount}.");
        _balances[currency] = this[currency] + amount;
    }
}
