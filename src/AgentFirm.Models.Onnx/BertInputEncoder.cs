using Microsoft.ML.Tokenizers;

namespace AgentFirm.Models.Sentiment.Onnx;

/// <summary>
/// Text to BERT input ids: WordPiece (Microsoft.ML.Tokenizers' BertTokenizer over the export's vocab.txt),
/// truncated so that [CLS] text [SEP] fits in the token limit, as transformers' truncation=True does.
/// </summary>
internal sealed class BertInputEncoder
{
    private const int MaxPiecesPerWord = 100; // WordPiece's max_input_chars_per_word: longer words become one [UNK]
    private readonly BertTokenizer _tokenizer;

    private BertInputEncoder(BertTokenizer tokenizer, int maxTokens)
    {
        _tokenizer = tokenizer;
        MaxTokens = maxTokens;
    }

    public int MaxTokens { get; }

    public int PaddingId => _tokenizer.PaddingTokenId;

    public static BertInputEncoder Load(string vocabPath, bool lowerCase, int maxTokens)
    {
        if (!File.Exists(vocabPath)) throw new ModelLoadException(vocabPath, "vocab.txt is missing (export the tokenizer with the model)");
        try
        {
            // HF's BasicTokenizer strips accents exactly when it lower-cases (strip_accents defaults to do_lower_case).
            var tokenizer = BertTokenizer.Create(vocabPath, new BertOptions { LowerCaseBeforeTokenization = lowerCase, RemoveNonSpacingMarks = lowerCase });
            return new BertInputEncoder(tokenizer, maxTokens);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            throw new ModelLoadException(vocabPath, $"is not a usable WordPiece vocabulary ({e.Message})", e);
        }
    }

    /// <summary>[CLS] ids [SEP], at most <see cref="MaxTokens"/> long; an empty text is [CLS] [SEP].</summary>
    public int[] Encode(string? text)
    {
        // The tokenizer's own limit stops before a word that would not fit whole; transformers cuts inside the
        // word. Asking for one longest word (100 pieces at most) beyond the limit and cutting here gives
        // transformers' result without tokenising the whole of a very long text.
        var limit = MaxTokens - 2;
        var body = string.IsNullOrEmpty(text)
            ? []
            : _tokenizer.EncodeToIds(text, limit + MaxPiecesPerWord, addSpecialTokens: false, out _, out _);
        var count = Math.Min(body.Count, limit);
        var ids = new int[count + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < count; i++) ids[i + 1] = body[i];
        ids[^1] = _tokenizer.SeparatorTokenId;
        return ids;
    }
}
