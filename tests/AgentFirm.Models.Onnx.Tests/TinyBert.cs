using AgentFirm.Models.Sentiment.Onnx.Export;

namespace AgentFirm.Models.Onnx.Tests;

/// <summary>A 2-layer, hidden-32 BERT classifier with a 70-token vocabulary, written to a folder for a test.</summary>
internal static class TinyBert
{
    public static readonly string[] Vocabulary = BuildVocabulary();

    public static BertClassifierSpec Spec(bool tokenTypes = true) => new()
    {
        VocabSize = Vocabulary.Length, Hidden = 32, Layers = 2, Heads = 2, Intermediate = 64, MaxPositions = 128, Labels = 3, TokenTypeInput = tokenTypes,
    };

    // std 0.2 rather than BERT's 0.02 so the random classifier gives clearly different scores to different texts.
    public static BertWeights Weights(int seed = 7, bool tokenTypes = true) => BertWeights.Random(Spec(tokenTypes), seed, std: 0.2f);

    public static string Write(string folder, BertWeights weights, string[]? id2label = null, bool lowerCase = true, WeightPrecision precision = WeightPrecision.Float32)
    {
        BertOnnxExporter.WriteModelFolder(folder, weights, Vocabulary, id2label ?? ["positive", "negative", "neutral"], lowerCase, precision);
        return folder;
    }

    public static int Id(string token) => Array.IndexOf(Vocabulary, token) is var i and >= 0 ? i : throw new ArgumentException(token);

    private static string[] BuildVocabulary()
    {
        var v = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "bitcoin", "price", "rally", "crash", "the", "to", "moon", "dump",
            "is", "bull", "bear", "market", "up", "down", "##ing", "Bitcoin", ".", "!", "," };
        for (var c = 'a'; c <= 'z'; c++) v.Add(c.ToString());
        for (var c = 'a'; c <= 'z'; c++) v.Add("##" + c);
        return v.ToArray();
    }

    public static readonly string[] Headlines =
    [
        "Bitcoin price rally to the moon!",
        "market crash",
        "",
        "the bear market is down, dump",
        "bull market up up up",
        "BITCOIN PRICE",
        "x",
        "rallying prices, crashing bears and the bull market to the moon is up. the price is down.",
        "zzz qqq",
        "Ünïcödé café naïve",
        "bitcoin",
        "the the the the the the the the the the the the the the the the the the the the the the the the the the",
    ];
}
