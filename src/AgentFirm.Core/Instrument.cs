namespace AgentFirm.Core;

public enum InstrumentKind { Spot, Perpetual }

/// <summary>
/// A tradable instrument. Symbols follow the shared data's BASE-QUOTE form (BTC-USDT); a perpetual swap
/// is written with a -PERP suffix (BTC-USDT-PERP) and settles its PnL and funding in the quote currency.
/// </summary>
public sealed record Instrument(string Symbol, string BaseCurrency, string QuoteCurrency, InstrumentKind Kind)
{
    /// <summary>Hours between funding settlements on a perpetual (8h on the large venues: 00, 08, 16 UTC).</summary>
    public TimeSpan FundingInterval { get; init; } = TimeSpan.FromHours(8);

    public bool IsPerpetual => Kind == InstrumentKind.Perpetual;

    public static Instrument Parse(string symbol)
    {
        if (TryParse(symbol, out var instrument)) return instrument;
        throw new FormatException($"Symbol '{symbol}' is not BASE-QUOTE (e.g. BTC-USDT) or BASE-QUOTE-PERP.");
    }

    public static bool TryParse(string? symbol, out Instrument instrument)
    {
        instrument = null!;
        if (string.IsNullOrWhiteSpace(symbol)) return false;
        var parts = symbol.Trim().ToUpperInvariant().Split('-');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsLetterOrDigit))) return false;
        var kind = InstrumentKind.Spot;
        if (parts.Length == 3)
        {
            if (parts[2] != "PERP") return false;
            kind = InstrumentKind.Perpetual;
        }
        instrument = new Instrument(string.Join('-', parts), parts[0], parts[1], kind);
        return true;
    }

    public override string ToString() => Symbol;
}
