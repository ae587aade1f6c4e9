using System.Collections.Frozen;
using System.Text;

namespace AgentFirm.Models.Sentiment.Text;

/// <summary>A text after normalisation: URLs out, cashtags read as asset mentions, emojis as words.</summary>
/// <param name="Text">The cleaned text (whitespace collapsed; slang decoded when asked).</param>
/// <param name="Cashtags">Tickers named with a cashtag ($BTC -> BTC), upper case, in order of first mention.</param>
/// <param name="UrlCount">How many links the raw text carried (link-spam evidence).</param>
/// <param name="WordCount">Words left after links were removed.</param>
public sealed record NormalisedText(string Text, IReadOnlyList<string> Cashtags, int UrlCount, int WordCount);

/// <param name="DecodeSlang">Rewrite crypto slang into plain finance English (for models trained on plain text,
/// e.g. FinBERT or a model trained on PhraseBank); the lexicon knows the slang itself and does not need it.</param>
/// <param name="UrlToken">What a link becomes; empty removes it.</param>
public sealed record TextNormaliserOptions(bool DecodeSlang = false, string UrlToken = "");

/// <summary>
/// Text normalisation for social and news text: links removed (or replaced by a token), cashtags ($BTC)
/// turned into the plain ticker and collected as asset mentions, the common crypto emojis turned into the
/// words they stand for, optional slang decoding, whitespace collapsed. Pure and thread-safe.
/// </summary>
public sealed class TextNormaliser(TextNormaliserOptions? options = null)
{
    private readonly TextNormaliserOptions _options = options ?? new TextNormaliserOptions();

    public TextNormaliserOptions Options => _options;

    public NormalisedText Normalise(string? text)
    {
        if (string.IsNullOrEmpty(text)) return new NormalisedText("", [], 0, 0);
        var sb = new StringBuilder(text.Length + 16);
        var cashtags = new List<string>();
        var urls = 0;
        var words = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if ((c is 'h' or 'H' or 'w' or 'W') && (i == 0 || !char.IsLetterOrDigit(text[i - 1])) && StartsUrl(text.AsSpan(i)))
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                urls++;
                if (_options.UrlToken.Length > 0) Append(sb, _options.UrlToken);
                continue;
            }
            if (c == '$' && i + 1 < text.Length && char.IsAsciiLetter(text[i + 1]) && (i == 0 || !char.IsLetterOrDigit(text[i - 1])))
            {
                var end = i + 1;
                while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '.') && end - i <= 12) end++;
                while (end > i + 1 && text[end - 1] == '.') end--; // "$BTC." ends a sentence
                var ticker = text[(i + 1)..end].ToUpperInvariant();
                if (ticker.Length is >= 2 and <= 10 && ticker.Any(char.IsAsciiLetter))
                {
                    if (!cashtags.Contains(ticker)) cashtags.Add(ticker);
                    if (sb.Length > 0 && char.IsLetterOrDigit(sb[^1])) sb.Append(' ');
                    sb.Append(ticker); // no trailing space: "$SOL." stays "SOL."
                    words++;
                    i = end;
                    continue;
                }
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var word = CryptoEmoji.Word(char.ConvertToUtf32(c, text[i + 1]));
                if (word is not null) { Append(sb, word); words++; }
                i += 2;
                continue;
            }
            var bmp = CryptoEmoji.Word(c);
            if (bmp is not null) { Append(sb, bmp); words++; i++; continue; }
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\uFE0F' or '\u200D')
            {
                if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
                i++;
                continue;
            }
            if (char.IsLetterOrDigit(c) && (sb.Length == 0 || !char.IsLetterOrDigit(sb[^1]))) words++;
            sb.Append(c);
            i++;
        }
        var cleaned = sb.ToString().Trim();
        if (_options.DecodeSlang) cleaned = SlangDecoder.Decode(cleaned);
        return new NormalisedText(cleaned, cashtags, urls, words);
    }

    private static void Append(StringBuilder sb, string word)
    {
        if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        sb.Append(word).Append(' ');
    }

    internal static bool StartsUrl(ReadOnlySpan<char> s) =>
        s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
        s.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        s.StartsWith("www.", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The crypto emojis whose meaning is clear enough to score, as lexicon words.</summary>
public static class CryptoEmoji
{
    public static string? Word(int codePoint) => codePoint switch
    {
        0x1F680 => "moon",                  // 🚀 rocket: "to the moon"
        0x1F319 or 0x1F315 or 0x1F31D => "moon", // 🌙 🌕 🌝
        0x1F4C9 => "dump",                  // 📉
        0x1F4C8 => "pump",                  // 📈
        0x1F480 or 0x2620 => "rekt",        // 💀 ☠
        0x1F525 => "lit",                   // 🔥
        0x1F48E => "diamond",               // 💎
        0x1F64C => "hands",                 // 🙌 (💎🙌 = diamond hands)
        0x1F43B => "bear",                  // 🐻
        0x1F402 or 0x1F403 => "bull",       // 🐂 🐃
        0x1F631 => "panic",                 // 😱
        0x1FA78 => "bleeding",              // 🩸
        0x1F6A8 or 0x26A0 => "warning",     // 🚨 ⚠
        0x1F4B0 or 0x1F911 => "profit",     // 💰 🤑
        0x1F62D or 0x1F4A9 or 0x1F921 or 0x274C => "bad", // 😭 💩 🤡 ❌
        0x1F389 or 0x2705 => "great",       // 🎉 ✅
        0x1F7E2 => "up",                    // 🟢
        0x1F534 => "down",                  // 🔴
        _ => null,
    };
}

/// <summary>
/// Crypto slang rewritten as plain finance English, whole words, case-insensitive. Models trained on
/// ordinary financial text (FinBERT, PhraseBank) do not know "rekt" or "ngmi"; the decoded words they do.
/// </summary>
public static class SlangDecoder
{
    private static readonly FrozenDictionary<string, string> Map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["hodl"] = "hold", ["hodling"] = "holding", ["hodlers"] = "long-term holders",
        ["fud"] = "fear uncertainty and doubt", ["fomo"] = "fear of missing out buying",
        ["rekt"] = "wrecked with heavy losses", ["rekted"] = "wrecked with heavy losses",
        ["rug"] = "scam", ["rugged"] = "scammed", ["rugpull"] = "scam", ["rugpulled"] = "scammed",
        ["moon"] = "soar", ["mooning"] = "soaring", ["mooned"] = "soared", ["moonshot"] = "huge gain",
        ["wagmi"] = "optimistic we all gain", ["ngmi"] = "pessimistic will fail",
        ["ath"] = "all-time high", ["aths"] = "all-time highs", ["atl"] = "all-time low",
        ["lambo"] = "big profit", ["btfd"] = "buy the dip", ["lfg"] = "strong optimism",
        ["bagholder"] = "holder with losses", ["bagholders"] = "holders with losses", ["paperhands"] = "panic sellers",
        ["shill"] = "promote dishonestly", ["shilling"] = "promoting dishonestly",
        ["lit"] = "strong",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static string Decode(string text)
    {
        if (text.Length == 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i])) { sb.Append(text[i++]); continue; }
            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i])) i++;
            var word = text[start..i];
            sb.Append(Map.TryGetValue(word, out var plain) ? plain : word);
        }
        return sb.ToString();
    }

    public static bool IsSlang(string word) => Map.ContainsKey(word);
}
