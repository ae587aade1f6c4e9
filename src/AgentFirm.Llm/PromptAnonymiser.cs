using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentFirm.Llm;

/// <summary>
/// Hides from a model what it may have memorised about history: asset names and tickers become ASSET_1..,
/// calendar dates become day offsets from the decision time (T-0, T-1, ..), price levels are rebased to 100 at
/// the decision-time price. It also maps answers back (ASSET_n to the symbol, T-k to the date, prices back).
/// Built per request; <see cref="Off"/> passes everything through (live runs, or a flag in backtests).
/// </summary>
public sealed partial class PromptAnonymiser
{
    // Names a model knows assets by, beyond the ticker itself. Immutable; add aliases as the universe grows.
    private static readonly FrozenDictionary<string, string[]> KnownNames = new Dictionary<string, string[]>
    {
        ["BTC"] = ["Bitcoin", "XBT"],
        ["ETH"] = ["Ethereum", "Ether"],
        ["SOL"] = ["Solana"],
        ["BNB"] = ["Binance Coin"],
        ["XRP"] = ["Ripple"],
        ["ADA"] = ["Cardano"],
        ["DOGE"] = ["Dogecoin"],
        ["DOT"] = ["Polkadot"],
        ["AVAX"] = ["Avalanche"],
        ["LTC"] = ["Litecoin"],
        ["LINK"] = ["Chainlink"],
        ["MATIC"] = ["Polygon"],
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly string[] QuoteSuffixes = ["FDUSD", "USDT", "USDC", "BUSD", "USD", "EUR"];

    private readonly DateTimeOffset _decisionTime;
    private readonly Dictionary<string, string> _aliasBySymbol = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _symbolByAlias = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, double> _referencePrice;
    private readonly Regex? _names;
    private readonly Dictionary<string, string> _aliasByName = new(StringComparer.OrdinalIgnoreCase);

    private PromptAnonymiser(bool enabled, DateTimeOffset decisionTime, IReadOnlyList<string> symbols,
        IReadOnlyDictionary<string, double>? prices)
    {
        Enabled = enabled;
        _decisionTime = decisionTime;
        _referencePrice = prices ?? new Dictionary<string, double>();
        if (!enabled) return;
        for (var i = 0; i < symbols.Count; i++)
        {
            var alias = $"ASSET_{i + 1}";
            _aliasBySymbol[symbols[i]] = alias;
            _symbolByAlias[alias] = symbols[i];
            foreach (var name in NamesOf(symbols[i])) _aliasByName.TryAdd(name, alias);
        }
        if (_aliasByName.Count > 0)
        {
            // Longest first so "BTCUSDT" wins over "BTC"; word boundaries so "ETH" does not eat "ETHIC".
            var alternatives = _aliasByName.Keys.OrderByDescending(n => n.Length).Select(Regex.Escape);
            _names = new Regex($@"(?<![A-Za-z0-9_])(?:{string.Join('|', alternatives)})(?![A-Za-z0-9_])",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
    }

    public bool Enabled { get; }

    /// <summary>Pass-through: what a live run or a backtest with anonymisation switched off uses.</summary>
    public static PromptAnonymiser Off(DateTimeOffset decisionTime) => new(false, decisionTime, [], null);

    /// <summary>Aliases follow the order of the request's quant targets, so the same request maps the same way.</summary>
    public static PromptAnonymiser For(SynthesisRequest request, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(enabled, request.DecisionTime, request.QuantTargets.Select(t => t.Symbol).Distinct().ToArray(),
            request.Prices);
    }

    /// <summary>Aliases follow the order of <paramref name="symbols"/>; prices are the decision-time references.</summary>
    public static PromptAnonymiser For(DateTimeOffset decisionTime, IReadOnlyList<string> symbols, IReadOnlyDictionary<string, double>? prices, bool enabled = true) =>
        new(enabled, decisionTime, symbols.Distinct().ToArray(), prices);

    public string Symbol(string symbol) =>
        Enabled && _aliasBySymbol.TryGetValue(symbol, out var alias) ? alias : symbol;

    /// <summary>The real symbol of an alias the model answered with; null when it names no asset of the request.</summary>
    public string? RestoreSymbol(string alias)
    {
        if (!Enabled) return alias;
        return _symbolByAlias.GetValueOrDefault(alias);
    }

    /// <summary>Whole days before the decision time (T-0 is the decision day's last 24 hours).</summary>
    public string Time(DateTimeOffset time)
    {
        if (!Enabled) return time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        var days = (int)Math.Floor((_decisionTime - time).TotalDays);
        return days >= 0 ? $"T-{days}" : $"T+{-days}";
    }

    /// <summary>A price level rebased to 100 at the decision-time price; unchanged when there is no reference.</summary>
    public double Price(string symbol, double price) =>
        Enabled && _referencePrice.TryGetValue(symbol, out var reference) && reference > 0 && double.IsFinite(reference)
            ? price / reference * 100
            : price;

    /// <summary>
    /// An evidence value as the model may see it: in price units (a level or a difference such as
    /// macd_hist) scaled like the price; dimensionless (bb_percent_b, RSI, ratios, z-scores) unchanged.
    /// </summary>
    public double Evidence(string symbol, string name, double value) =>
        EvidenceUnits.InPriceUnits(name) ? Price(symbol, value) : value;

    public double RestorePrice(string symbol, double rebased) =>
        Enabled && _referencePrice.TryGetValue(symbol, out var reference) && reference > 0 && double.IsFinite(reference)
            ? rebased * reference / 100
            : rebased;

    /// <summary>Free text (headlines, analyst rationales): names and tickers to aliases, dates to offsets.</summary>
    public string Text(string text)
    {
        if (!Enabled || string.IsNullOrEmpty(text)) return text;
        if (_names is not null) text = _names.Replace(text, m => _aliasByName[m.Value]);
        text = IsoDate().Replace(text, m => DateTimeOffset.TryParse(m.Value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var t) ? Time(t) : m.Value);
        return MonthDate().Replace(text, m => DateTimeOffset.TryParse(m.Value.Replace(",", "", StringComparison.Ordinal)
                .Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? Time(t) : m.Value);
    }

    /// <summary>An answer's text back in real terms: ASSET_n to its symbol, T-k to its calendar date.</summary>
    public string Restore(string text)
    {
        if (!Enabled || string.IsNullOrEmpty(text)) return text;
        text = AssetAlias().Replace(text, m => _symbolByAlias.GetValueOrDefault(m.Value) ?? m.Value);
        return DayOffset().Replace(text, m =>
        {
            var days = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) * (m.Groups[1].Value == "-" ? 1 : -1);
            return _decisionTime.AddDays(-days).ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        });
    }

    private static IEnumerable<string> NamesOf(string symbol)
    {
        yield return symbol;
        var parts = symbol.Split(['-', '/', '_', ':'], StringSplitOptions.RemoveEmptyEntries);
        var baseAsset = parts.Length > 1 ? parts[0] : StripQuote(symbol);
        if (baseAsset.Length >= 2 && !string.Equals(baseAsset, symbol, StringComparison.OrdinalIgnoreCase)) yield return baseAsset;
        if (KnownNames.TryGetValue(baseAsset, out var names))
            foreach (var name in names) yield return name;
    }

    private static string StripQuote(string symbol)
    {
        foreach (var quote in QuoteSuffixes)
            if (symbol.Length > quote.Length && symbol.EndsWith(quote, StringComparison.OrdinalIgnoreCase))
                return symbol[..^quote.Length];
        return symbol;
    }

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?:\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{4}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4})\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthDate();

    [GeneratedRegex(@"\bASSET_\d+\b")]
    private static partial Regex AssetAlias();

    [GeneratedRegex(@"\bT([-+])(\d{1,5})\b")]
    private static partial Regex DayOffset();
}
