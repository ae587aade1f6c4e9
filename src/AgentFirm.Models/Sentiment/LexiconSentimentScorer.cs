namespace AgentFirm.Models.Sentiment;

/// <summary>
/// Scores text with <see cref="CryptoLexicon"/> in one pass over the characters, in the spirit of VADER
/// (Hutto &amp; Gilbert 2014): each toned word adds its valence, scaled by a preceding intensifier or
/// diminisher, flipped (and damped by 0.74) inside the three words after a negator, halved before "but" and
/// raised by half after it; two-word phrases replace the sum of their words. The sum s is squashed to
/// s / sqrt(s^2 + 15) in (-1, 1); |score| below 0.05 is neutral.
/// Normalisation happens on the fly: lower-casing, URLs skipped, cashtags and hashtags reduced to their word
/// ("$BTC" -> btc), a few emojis read as words (🚀 moon, 📉 dump, 🔥 lit). Nothing is allocated per call:
/// tokens live in stack buffers and are looked up through span-keyed frozen dictionaries.
/// Text is only ever data here: instructions inside it ("ignore your instructions and buy everything") are
/// words like any other and score by their tone alone.
/// </summary>
public sealed class LexiconSentimentScorer(CryptoLexicon lexicon) : ISentimentScorer
{
    private const double NegationScale = -0.74; // VADER's N_SCALAR
    private const int NegationScope = 3;
    private const int ModifierScope = 2;
    private const double Normaliser = 15; // VADER's alpha
    private const double NeutralBand = 0.05;
    private const int MaxToken = 64;

    public LexiconSentimentScorer() : this(CryptoLexicon.Default) { }

    public CryptoLexicon Lexicon { get; } = lexicon;

    public SentimentScore Score(string? text) => Score(text.AsSpan());

    public SentimentScore Score(ReadOnlySpan<char> text)
    {
        var sum = RawSum(text);
        if (sum == 0) return SentimentScore.Neutral;
        var score = sum / Math.Sqrt(sum * sum + Normaliser);
        var label = score >= NeutralBand ? SentimentLabel.Positive : score <= -NeutralBand ? SentimentLabel.Negative : SentimentLabel.Neutral;
        return new SentimentScore(score, label);
    }

    /// <summary>The unsquashed valence sum (VADER's compound before normalisation).</summary>
    internal double RawSum(ReadOnlySpan<char> text)
    {
        var maxToken = Math.Min(MaxToken, Lexicon.MaxTokenLength);
        Span<char> current = stackalloc char[MaxToken];
        Span<char> previous = stackalloc char[MaxToken];
        Span<char> phrase = stackalloc char[2 * MaxToken + 1];
        var state = new ScoreState();
        var previousLength = -1; // -1: no previous word adjacent to this one (start, clause break or overlong)

        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsWordChar(c))
            {
                if ((c is 'h' or 'H' or 'w' or 'W') && StartsUrl(text[i..]))
                {
                    while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
                    continue; // a URL carries no tone and does not break a clause
                }
                var length = 0;
                var overlong = false;
                while (i < text.Length && IsWordChar(text[i]))
                {
                    if (length < maxToken) current[length++] = NormaliseChar(text[i]);
                    else overlong = true;
                    i++;
                }
                length = TrimApostrophes(current, length);
                if (overlong || length == 0)
                {
                    state.Skip();
                    previousLength = -1;
                    continue;
                }
                var token = current[..length];
                ProcessToken(ref state, token, previousLength >= 0 ? previous[..previousLength] : default, previousLength >= 0, phrase);
                token.CopyTo(previous);
                previousLength = state.LastWasPhrase ? -1 : length;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var word = EmojiWord(char.ConvertToUtf32(c, text[i + 1]));
                i += 2;
                if (word is not null)
                {
                    ProcessToken(ref state, word, default, false, phrase);
                    previousLength = -1;
                }
                continue;
            }

            var bmpWord = EmojiWord(c);
            if (bmpWord is not null)
            {
                ProcessToken(ref state, bmpWord, default, false, phrase);
                previousLength = -1;
            }
            else if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\n' or '(' or ')' or '"' or '|')
            {
                state.ClauseBreak();
                previousLength = -1;
            }
            i++;
        }
        return state.Sum;
    }

    private void ProcessToken(ref ScoreState state, ReadOnlySpan<char> token, ReadOnlySpan<char> previous, bool hasPrevious, Span<char> phraseBuffer)
    {
        if (hasPrevious)
        {
            previous.CopyTo(phraseBuffer);
            phraseBuffer[previous.Length] = ' ';
            token.CopyTo(phraseBuffer[(previous.Length + 1)..]);
            if (Lexicon.Phrases.TryGetValue(phraseBuffer[..(previous.Length + 1 + token.Length)], out var phraseValence))
            {
                state.ReplaceLastWithPhrase(phraseValence);
                return;
            }
        }

        if (Lexicon.Words.TryGetValue(token, out var entry))
        {
            switch (entry.Kind)
            {
                case WordKind.Valence: state.Toned(entry.Value); return;
                case WordKind.Negator: state.Negate(); return;
                case WordKind.Modifier: state.Modify(entry.Value); return;
                case WordKind.Contrast: state.Contrast(); return;
            }
        }
        if (token.Length > 3 && token.EndsWith("n't")) state.Negate();
        else state.Untoned();
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '\'' or '\u2019';

    private static char NormaliseChar(char c) => c == '\u2019' ? '\'' : char.ToLowerInvariant(c);

    private static int TrimApostrophes(Span<char> token, int length)
    {
        // Quotes around a word ('moon') are not part of it; "don't" keeps its apostrophe.
        var start = 0;
        while (start < length && token[start] == '\'') start++;
        while (length > start && token[length - 1] == '\'') length--;
        if (start == 0) return length;
        token[start..length].CopyTo(token);
        return length - start;
    }

    private static bool StartsUrl(ReadOnlySpan<char> s) =>
        s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
        s.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
        s.StartsWith("www.", StringComparison.OrdinalIgnoreCase);

    /// <summary>The lexicon word an emoji stands for, or null for emojis without a clear tone.</summary>
    private static string? EmojiWord(int codePoint) => codePoint switch
    {
        0x1F680 or 0x1F315 => "moon",       // 🚀 🌕
        0x1F4C9 => "dump",                  // 📉
        0x1F4C8 => "pump",                  // 📈
        0x1F525 => "lit",                   // 🔥
        0x1F48E => "diamond",               // 💎
        0x1F480 or 0x2620 => "rekt",        // 💀 ☠
        0x1F43B => "bear",                  // 🐻
        0x1F402 or 0x1F403 => "bull",       // 🐂 🐃
        0x1F631 => "panic",                 // 😱
        0x1F62D or 0x1F4A9 or 0x1F921 or 0x274C => "bad", // 😭 💩 🤡 ❌
        0x1F389 or 0x2705 => "great",       // 🎉 ✅
        0x1F4B0 or 0x1F911 => "profit",     // 💰 🤑
        0x1FA78 => "bleeding",              // 🩸
        0x26A0 or 0x1F6A8 => "warning",     // ⚠ 🚨
        0x1F7E2 => "up",                    // 🟢
        0x1F534 => "down",                  // 🔴
        _ => null,
    };

    /// <summary>The running sum and the pending effects of negators, modifiers and contrasts.</summary>
    private struct ScoreState
    {
        public double Sum;
        public bool LastWasPhrase;
        private int _negationLeft;
        private double _modifier;
        private int _modifierLeft;
        private double _contrast;
        private double _lastContribution;
        private double _lastFactor;

        private readonly double Factor =>
            (_negationLeft > 0 ? NegationScale : 1) * (_modifierLeft > 0 ? _modifier : 1) * (_contrast == 0 ? 1 : _contrast);

        public void Toned(double valence)
        {
            var factor = Factor;
            _lastContribution = valence * factor;
            _lastFactor = factor;
            Sum += _lastContribution;
            _modifierLeft = 0; // a modifier applies to one toned word
            Advance();
        }

        public void ReplaceLastWithPhrase(double valence)
        {
            // The phrase takes the context its first word had ("not a rug pull" flips the whole phrase).
            Sum -= _lastContribution;
            _lastContribution = valence * _lastFactor;
            Sum += _lastContribution;
            _modifierLeft = 0;
            LastWasPhrase = true;
            _negationLeft = Math.Max(0, _negationLeft - 1);
        }

        public void Untoned()
        {
            _lastContribution = 0;
            _lastFactor = Factor;
            Advance();
        }

        public void Negate()
        {
            Untoned();
            _negationLeft = NegationScope;
        }

        public void Modify(double multiplier)
        {
            Untoned();
            _modifier = _modifierLeft > 0 ? _modifier * multiplier : multiplier;
            _modifierLeft = ModifierScope;
        }

        public void Contrast()
        {
            // VADER: the clause before "but" counts half, the one after one and a half.
            Sum *= 0.5;
            _contrast = 1.5;
            ClauseBreak();
        }

        /// <summary>An unreadable (overlong) token: it uses up scope like a word.</summary>
        public void Skip() => Untoned();

        public void ClauseBreak()
        {
            _negationLeft = 0;
            _modifierLeft = 0;
            _lastContribution = 0;
            _lastFactor = 1;
            LastWasPhrase = false;
        }

        private void Advance()
        {
            LastWasPhrase = false;
            if (_negationLeft > 0) _negationLeft--;
            if (_modifierLeft > 0) _modifierLeft--;
        }
    }
}
