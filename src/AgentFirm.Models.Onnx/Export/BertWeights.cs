namespace AgentFirm.Models.Sentiment.Onnx.Export;

/// <summary>
/// The parameters of a BERT classifier as plain arrays. Matrices are row-major [in, out] so a layer is
/// y = x·W + b, the layout ONNX MatMul uses. Random weights stand in for trained ones: they exercise the
/// same arithmetic, which is all the tests and speed measurements need.
/// </summary>
public sealed class BertWeights
{
    public required BertClassifierSpec Spec { get; init; }
    public required float[] WordEmbeddings { get; init; }      // [V, H]
    public required float[] PositionEmbeddings { get; init; }  // [P, H]
    public required float[] TokenTypeEmbeddings { get; init; } // [T, H]
    public required float[] EmbeddingNormGamma { get; init; }
    public required float[] EmbeddingNormBeta { get; init; }
    public required BertLayerWeights[] Layers { get; init; }
    public required float[] PoolerWeight { get; init; }        // [H, H]
    public required float[] PoolerBias { get; init; }
    public required float[] ClassifierWeight { get; init; }    // [H, L]
    public required float[] ClassifierBias { get; init; }

    /// <summary>Seeded random weights: uniform with the given standard deviation, LayerNorm gains near 1.</summary>
    public static BertWeights Random(BertClassifierSpec spec, int seed, float std = 0.02f)
    {
        var rng = new SplitMix(seed);
        int h = spec.Hidden, i = spec.Intermediate;
        float[] M(int n) => rng.Uniform(n, std);
        float[] Gain(int n) { var g = rng.Uniform(n, 0.1f); for (var k = 0; k < n; k++) g[k] += 1; return g; }
        return new BertWeights
        {
            Spec = spec,
            WordEmbeddings = M(spec.VocabSize * h),
            PositionEmbeddings = M(spec.MaxPositions * h),
            TokenTypeEmbeddings = M(spec.TypeVocab * h),
            EmbeddingNormGamma = Gain(h),
            EmbeddingNormBeta = M(h),
            Layers = Enumerable.Range(0, spec.Layers).Select(_ => new BertLayerWeights
            {
                Query = M(h * h), QueryBias = M(h),
                Key = M(h * h), KeyBias = M(h),
                Value = M(h * h), ValueBias = M(h),
                AttentionOutput = M(h * h), AttentionOutputBias = M(h),
                AttentionNormGamma = Gain(h), AttentionNormBeta = M(h),
                Intermediate = M(h * i), IntermediateBias = M(i),
                Output = M(i * h), OutputBias = M(h),
                OutputNormGamma = Gain(h), OutputNormBeta = M(h),
            }).ToArray(),
            PoolerWeight = M(h * h),
            PoolerBias = M(h),
            ClassifierWeight = M(h * spec.Labels),
            ClassifierBias = M(spec.Labels),
        };
    }

    /// <summary>SplitMix64 (Steele, Lea &amp; Flood 2014): fast, seedable, good enough for weights.</summary>
    private sealed class SplitMix(int seed)
    {
        private ulong _state = (ulong)seed * 0x9E3779B97F4A7C15UL + 1;

        public float[] Uniform(int n, float std)
        {
            var a = std * MathF.Sqrt(3); // U(-a, a) has standard deviation a/sqrt(3)
            var v = new float[n];
            for (var k = 0; k < n; k++) v[k] = (float)((Next() >> 11) * (1.0 / (1UL << 53)) * 2 - 1) * a;
            return v;
        }

        private ulong Next()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}

public sealed class BertLayerWeights
{
    public required float[] Query { get; init; }
    public required float[] QueryBias { get; init; }
    public required float[] Key { get; init; }
    public required float[] KeyBias { get; init; }
    public required float[] Value { get; init; }
    public required float[] ValueBias { get; init; }
    public required float[] AttentionOutput { get; init; }
    public required float[] AttentionOutputBias { get; init; }
    public required float[] AttentionNormGamma { get; init; }
    public required float[] AttentionNormBeta { get; init; }
    public required float[] Intermediate { get; init; }       // [H, I]
    public required float[] IntermediateBias { get; init; }
    public required float[] Output { get; init; }             // [I, H]
    public required float[] OutputBias { get; init; }
    public required float[] OutputNormGamma { get; init; }
    public required float[] OutputNormBeta { get; init; }
}
