using System.Collections.Frozen;

namespace AgentFirm.Llm;

/// <summary>What an evidence value is measured in, which decides how anonymisation may show it.</summary>
public enum EvidenceUnit
{
    /// <summary>A ratio, percentage, z-score, probability, oscillator or score: shown as it is.</summary>
    Dimensionless,
    /// <summary>A price level (close, moving averages, band edges): rebased like the price, 100 at the decision-time close.</summary>
    PriceLevel,
    /// <summary>A difference of prices (ATR, MACD and its histogram): in price units, so scaled by the same factor.</summary>
    PriceDifference,
}

/// <summary>
/// The unit of each evidence name the analysts emit. Both price units are multiplied by 100 / close, so a
/// model sees neither the level (which dates the data) nor a volatility in dollars, while band positions,
/// RSI, ratios and z-scores keep their meaning. Unknown names are dimensionless: every analyst but the
/// technical one reports scores, ratios and z-scores (on-chain, sentiment, causal drivers as z).
/// </summary>
public static class EvidenceUnits
{
    // Exact names first: these would otherwise match a price family by their prefix.
    private static readonly FrozenDictionary<string, EvidenceUnit> Known = new Dictionary<string, EvidenceUnit>
    {
        ["bb_percent_b"] = EvidenceUnit.Dimensionless, // position within the bands: 0 lower, 1 upper
        ["bb_width"] = EvidenceUnit.Dimensionless,     // (upper - lower) / middle
        ["close"] = EvidenceUnit.PriceLevel,
        ["open"] = EvidenceUnit.PriceLevel,
        ["high"] = EvidenceUnit.PriceLevel,
        ["low"] = EvidenceUnit.PriceLevel,
        ["last_price"] = EvidenceUnit.PriceLevel,
        ["falsification_price"] = EvidenceUnit.PriceLevel, // an analyst mind's "wrong below/above this level"
        ["bb_upper"] = EvidenceUnit.PriceLevel,
        ["bb_middle"] = EvidenceUnit.PriceLevel,
        ["bb_lower"] = EvidenceUnit.PriceLevel,
        ["macd"] = EvidenceUnit.PriceDifference,
        ["macd_signal"] = EvidenceUnit.PriceDifference,
        ["macd_hist"] = EvidenceUnit.PriceDifference,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // Families by their leading letters: sma20, sma_50, ema_12, atr14, support_1 ...
    private static readonly FrozenDictionary<string, EvidenceUnit> Families = new Dictionary<string, EvidenceUnit>
    {
        ["sma"] = EvidenceUnit.PriceLevel,
        ["ema"] = EvidenceUnit.PriceLevel,
        ["wma"] = EvidenceUnit.PriceLevel,
        ["vwap"] = EvidenceUnit.PriceLevel,
        ["price"] = EvidenceUnit.PriceLevel,
        ["support"] = EvidenceUnit.PriceLevel,
        ["resistance"] = EvidenceUnit.PriceLevel,
        ["atr"] = EvidenceUnit.PriceDifference,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // A family name with one of these parts is a normalised version of it (atr_pct, price_z, sma_ratio).
    private static readonly FrozenSet<string> NormalisedParts =
        new[] { "pct", "percent", "ratio", "z", "zscore", "rank", "slope", "return", "change", "divergence", "distance" }
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static EvidenceUnit Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Known.TryGetValue(name, out var unit)) return unit;
        var parts = name.Split(['_', '-', '.', '[', ']'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return EvidenceUnit.Dimensionless;
        if (parts.Skip(1).Any(NormalisedParts.Contains)) return EvidenceUnit.Dimensionless;
        var letters = new string(parts[0].TakeWhile(char.IsLetter).ToArray());
        // "sma20" is the sma family; "smart_money" is not (letters must be the whole family name).
        return Families.TryGetValue(letters, out unit) && parts[0][letters.Length..].All(char.IsDigit) ? unit : EvidenceUnit.Dimensionless;
    }

    public static bool InPriceUnits(string name) => Of(name) != EvidenceUnit.Dimensionless;
}
