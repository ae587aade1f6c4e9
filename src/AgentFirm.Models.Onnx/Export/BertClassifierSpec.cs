namespace AgentFirm.Models.Sentiment.Onnx.Export;

/// <summary>
/// The shape of a BERT sequence classifier (Devlin et al. 2018): the numbers HuggingFace's config.json
/// carries. <see cref="Base"/> is bert-base-uncased, the shape FinBERT (ProsusAI/finbert, finbert-tone) uses.
/// </summary>
public sealed record BertClassifierSpec
{
    public int VocabSize { get; init; } = 30522;
    public int Hidden { get; init; } = 768;
    public int Layers { get; init; } = 12;
    public int Heads { get; init; } = 12;
    public int Intermediate { get; init; } = 3072;
    public int MaxPositions { get; init; } = 512;
    public int TypeVocab { get; init; } = 2;
    public int Labels { get; init; } = 3;
    public float LayerNormEpsilon { get; init; } = 1e-12f;

    /// <summary>Whether the exported graph takes token_type_ids (HF exports usually do; DistilBERT-style ones do not).</summary>
    public bool TokenTypeInput { get; init; } = true;

    public static BertClassifierSpec Base { get; } = new();

    public int HeadSize => Hidden % Heads == 0 ? Hidden / Heads : throw new InvalidOperationException($"hidden {Hidden} is not divisible by {Heads} heads");

    /// <summary>
    /// Floating-point operations to classify one sentence of <paramref name="tokens"/> tokens, counting a
    /// multiply-add as 2 FLOPs and only the matrix products (everything else is under 1%):
    /// per layer, the Q/K/V/output projections 2·S·4H² and the feed-forward 2·S·2·H·I, plus the attention
    /// products QKᵀ and PV, 2·2·S²·H; then the pooler 2H² and the classifier 2·H·L.
    /// For bert-base at S = 64: 12 · (2·64·(4·768² + 2·768·3072) + 4·64²·768) + 2·768² + 2·768·3 ≈ 11.03 GFLOP.
    /// </summary>
    public double FlopsPerSentence(int tokens)
    {
        double s = tokens, h = Hidden, i = Intermediate;
        var perLayer = 2 * s * (4 * h * h + 2 * h * i) + 4 * s * s * h;
        return Layers * perLayer + 2 * h * h + 2 * h * Labels;
    }
}
