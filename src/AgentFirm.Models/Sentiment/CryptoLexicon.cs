using System.Collections.Frozen;

namespace AgentFirm.Models.Sentiment;

/// <summary>What a lexicon word does to the words around it.</summary>
internal enum WordKind : byte
{
    /// <summary>Carries tone on its own (valence on a -4..+4 scale, VADER's convention).</summary>
    Valence,
    /// <summary>Flips the tone of the next few words ("not bullish").</summary>
    Negator,
    /// <summary>Scales the next toned word ("very" 1.5, "slightly" 0.5).</summary>
    Modifier,
    /// <summary>"but", "however": the clause after it matters more than the one before.</summary>
    Contrast,
}

internal readonly record struct LexiconEntry(WordKind Kind, double Value);

/// <summary>
/// The crypto-aware word list: slang (HODL, FUD, rekt, rug, moon, WAGMI), market events (liquidated, ATH,
/// ETF approval, delisting, hack, depeg), general finance words, negators, intensifiers and diminishers.
/// Words are lower-case single tokens; phrases are two tokens joined by one space and override the sum of
/// their words ("rug pull", "short squeeze", "all-time high" via "time high"). Immutable, so one instance
/// is shared by every scorer.
/// </summary>
public sealed class CryptoLexicon
{
    private readonly FrozenDictionary<string, LexiconEntry> _words;
    private readonly FrozenDictionary<string, double> _phrases;

    internal FrozenDictionary<string, LexiconEntry>.AlternateLookup<ReadOnlySpan<char>> Words { get; }
    internal FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> Phrases { get; }

    /// <summary>Longest word or phrase in characters; longer tokens cannot match and are not looked up.</summary>
    internal int MaxTokenLength { get; }

    /// <param name="valence">word or two-word phrase -> tone on a -4..+4 scale.</param>
    /// <param name="modifiers">word -> multiplier for the next toned word (above 1 intensifies, below 1 diminishes).</param>
    /// <param name="negators">words that flip the tone of the following words.</param>
    /// <param name="contrasts">words after which the rest of the text weighs more.</param>
    public CryptoLexicon(
        IReadOnlyDictionary<string, double> valence,
        IReadOnlyDictionary<string, double> modifiers,
        IEnumerable<string> negators,
        IEnumerable<string> contrasts)
    {
        var words = new Dictionary<string, LexiconEntry>(StringComparer.Ordinal);
        var phrases = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in valence)
        {
            if (!double.IsFinite(value) || value is < -4 or > 4) throw new ArgumentException($"Valence of '{key}' must be in [-4, 4], got {value}.");
            var parts = key.Split(' ');
            if (parts.Length > 2 || parts.Any(p => p.Length == 0 || p != p.ToLowerInvariant()))
                throw new ArgumentException($"Lexicon key '{key}' must be one or two lower-case words separated by one space.");
            if (parts.Length == 2) phrases[key] = value;
            else words[key] = new LexiconEntry(WordKind.Valence, value);
        }
        foreach (var (key, value) in modifiers)
        {
            if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentException($"Modifier '{key}' must be a positive multiplier, got {value}.");
            words[key] = new LexiconEntry(WordKind.Modifier, value);
        }
        foreach (var key in negators) words[key] = new LexiconEntry(WordKind.Negator, 0);
        foreach (var key in contrasts) words[key] = new LexiconEntry(WordKind.Contrast, 0);
        _words = words.ToFrozenDictionary(StringComparer.Ordinal);
        _phrases = phrases.ToFrozenDictionary(StringComparer.Ordinal);
        Words = _words.GetAlternateLookup<ReadOnlySpan<char>>();
        Phrases = _phrases.GetAlternateLookup<ReadOnlySpan<char>>();
        MaxTokenLength = Math.Max(_words.Keys.DefaultIfEmpty("").Max(k => k.Length), _phrases.Keys.DefaultIfEmpty("").Max(k => k.Length));
    }

    public int WordCount => _words.Count;
    public int PhraseCount => _phrases.Count;

    /// <summary>The tone of a word or two-word phrase, if the lexicon has one.</summary>
    public bool TryGetValence(string wordOrPhrase, out double valence)
    {
        if (_phrases.TryGetValue(wordOrPhrase, out valence)) return true;
        if (_words.TryGetValue(wordOrPhrase, out var entry) && entry.Kind == WordKind.Valence)
        {
            valence = entry.Value;
            return true;
        }
        valence = 0;
        return false;
    }

    /// <summary>The built-in list. Valences are hand-set on VADER's -4..+4 scale; crypto slang leans strong.</summary>
    public static CryptoLexicon Default { get; } = new(DefaultValence(), DefaultModifiers(), DefaultNegators(), ["but", "however", "though", "although", "yet"]);

    private static string[] DefaultNegators() =>
    [
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
        "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "cant", "couldnt", "wont", "wouldnt",
        "shouldnt", "hasnt", "havent", "hadnt", "aint", "ain't", "fails", "failed",
    ];

    private static Dictionary<string, double> DefaultModifiers() => new(StringComparer.Ordinal)
    {
        ["very"] = 1.5, ["extremely"] = 1.8, ["hugely"] = 1.7, ["massively"] = 1.7, ["super"] = 1.5,
        ["really"] = 1.3, ["highly"] = 1.4, ["incredibly"] = 1.7, ["absolutely"] = 1.6, ["totally"] = 1.4,
        ["so"] = 1.2, ["most"] = 1.3, ["sharply"] = 1.5, ["deeply"] = 1.5, ["strongly"] = 1.4, ["heavily"] = 1.4,
        ["slightly"] = 0.5, ["somewhat"] = 0.7, ["marginally"] = 0.5, ["barely"] = 0.4, ["mildly"] = 0.6,
        ["partially"] = 0.6, ["kinda"] = 0.7, ["modestly"] = 0.6, ["little"] = 0.5, ["bit"] = 0.6,
    };

    private static Dictionary<string, double> DefaultValence()
    {
        var v = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(double value, params string[] keys)
        {
            foreach (var k in keys) v[k] = value;
        }

        // crypto slang and events
        Add(1.8, "hodl", "hodling", "hodlers", "wagmi", "diamond", "lfg", "btfd");
        Add(1.2, "fomo");
        Add(-1.8, "fud", "ngmi", "paperhands", "bagholder", "bagholders", "bagholding", "shill", "shills", "shilling");
        Add(-2.8, "rekt", "rekted", "rugged", "rugpull", "rugpulled", "exploit", "exploited", "exploits", "drained", "drains");
        Add(-3.0, "rug", "rugs", "scam", "scams", "scammer", "ponzi", "fraud", "fraudulent", "hack", "hacked", "hacks", "hacker", "hackers");
        Add(2.5, "moon", "mooning", "mooned", "moonshot", "lambo", "bullish", "bull", "bulls", "ath", "aths");
        Add(-2.5, "bearish", "bear", "bears", "liquidated", "capitulation", "capitulates", "depeg", "depegs", "depegged");
        Add(-1.8, "liquidation", "liquidations", "liquidating", "delay", "delays", "delayed");
        Add(-2.2, "dump", "dumps", "dumping", "dumped", "selloff", "delist", "delisted", "delisting", "delists");
        Add(1.8, "pump", "pumps", "pumping", "pumped", "breakout", "rekindles");
        Add(-3.2, "insolvent", "insolvency", "bankrupt", "bankruptcy", "collapse", "collapses", "collapsed");
        Add(1.2, "adoption", "upgrade", "upgrades", "accumulate", "accumulates", "accumulation", "listing", "lists", "adds", "partnership", "staking");
        Add(-2.0, "outage", "halt", "halts", "halted", "ban", "bans", "banned", "crackdown", "lawsuit", "sues", "sued", "probe", "investigation");

        // price action and general finance
        Add(2.2, "rally", "rallies", "rallied", "rallying", "surge", "surges", "surged", "surging", "soar", "soars", "soared", "skyrocket", "skyrockets");
        Add(1.8, "jump", "jumps", "jumped", "rebound", "rebounds", "rebounded", "boost", "boosts", "boosted", "lifts", "outperform", "outperforms", "doubles");
        Add(1.5, "climb", "climbs", "climbed", "gain", "gains", "gained", "rise", "rises", "rose", "rising", "recover", "recovers", "recovery", "profit", "profits", "profitable", "growth", "grows", "inflows", "approval", "approves", "approved", "upbeat", "optimism", "optimistic");
        Add(1.0, "record", "increase", "increased", "increases", "beat", "beats", "strong", "stronger", "strength", "positive", "good", "great", "win", "wins", "buyers", "demand", "raises", "expands", "expansion", "opportunity", "support", "supports", "improve", "improves", "improved");
        Add(-1.0, "decrease", "decreased", "decreases", "weak", "weaker", "weakness", "negative", "bad", "miss", "misses", "missed", "risk", "risks", "concern", "concerns", "uncertainty", "volatile", "sellers", "fades", "pressure");
        Add(-1.5, "drop", "drops", "dropped", "fall", "falls", "fell", "falling", "decline", "declines", "declined", "slide", "slides", "slid", "loss", "losses", "losing", "outflows", "warn", "warns", "warned", "warning", "downgrade", "downgraded", "underperform", "cut", "cuts", "layoffs", "vanishes", "pauses");
        Add(-2.0, "sink", "sinks", "sank", "tumble", "tumbles", "tumbled", "bleed", "bleeds", "bleeding", "slump", "slumps", "fear", "fears", "rattles", "lose", "loses", "lost", "threat", "threatens");
        Add(1.5, "lit"); // 🔥 normalises to "lit"
        Add(-2.8, "crash", "crashes", "crashed", "plunge", "plunges", "plunged", "panic", "meltdown", "wipeout", "catastrophe", "disaster");
        Add(0.8, "up", "higher", "bought", "buying");
        Add(-0.8, "down", "lower", "sold", "selling");

        // phrases: two tokens, override the sum of their parts
        Add(3.0, "etf approval", "etf approved");
        Add(2.5, "time high", "record high", "monthly high", "short squeeze", "buy signal"); // "all-time high" tokenises to all, time, high
        Add(-2.5, "time low", "record low", "monthly low", "sell signal", "long liquidations", "bank run");
        Add(-3.0, "rug pull", "rug pulled", "pauses withdrawals", "halts withdrawals", "etf rejection", "etf rejected");
        Add(-2.2, "sell off", "risk off");
        Add(1.5, "risk on", "buy dip");
        Add(1.8, "diamond hands", "all in");
        Add(-1.8, "paper hands", "losing steam");
        return v;
    }
}
