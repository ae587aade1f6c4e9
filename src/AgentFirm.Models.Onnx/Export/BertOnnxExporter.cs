using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFirm.Models.Sentiment.Onnx.Export;

/// <summary>How the encoder's weight matrices are stored in the exported graph.</summary>
public enum WeightPrecision
{
    Float32,

    /// <summary>
    /// Dynamic int8 quantisation, as onnxruntime's quantize_dynamic does it: each encoder weight matrix is stored
    /// as int8 with one symmetric scale per output column (max|W[:,n]| / 127); activations are quantised to
    /// uint8 at run time per tensor (DynamicQuantizeLinear), multiplied in integers (MatMulInteger) and scaled
    /// back (Cast, Mul by x_scale·w_scale). ONNX Runtime fuses the four nodes into one DynamicQuantizeMatMul.
    /// The pooler and classifier head stay fp32 (they are 0.01% of the work).
    /// </summary>
    DynamicInt8,
}

/// <summary>
/// Emits a BERT sequence classifier as an ONNX graph with the inputs a HuggingFace export has
/// (input_ids, attention_mask, optionally token_type_ids; int64 [batch, sequence]) and one output, logits
/// [batch, labels]. Standard opset-17 operators only (plus DynamicQuantizeLinear/MatMulInteger for int8).
/// </summary>
public static class BertOnnxExporter
{
    public const string LogitsOutput = "logits";

    public static OnnxGraph Build(BertWeights weights, WeightPrecision precision = WeightPrecision.Float32)
    {
        var spec = weights.Spec;
        var g = new OnnxGraph("bert_sequence_classifier");
        int h = spec.Hidden, heads = spec.Heads, dh = spec.HeadSize;

        var ids = g.Input("input_ids", OnnxElementType.Int64, "batch", "sequence");
        var mask = g.Input("attention_mask", OnnxElementType.Int64, "batch", "sequence");
        var types = spec.TokenTypeInput ? g.Input("token_type_ids", OnnxElementType.Int64, "batch", "sequence") : null;

        // Embeddings: word + position (the first S rows) + token type, then LayerNorm.
        var word = g.Node("Gather", [g.Initializer("word_embeddings", weights.WordEmbeddings, spec.VocabSize, h), ids], OnnxAttribute.Int("axis", 0));
        var shape = g.Node("Shape", [ids]);
        var seqLen = g.Node("Slice", [shape, g.Initializer("one", [1L], 1), g.Initializer("two", [2L], 1)]);
        var positions = g.Node("Slice", [g.Initializer("position_embeddings", weights.PositionEmbeddings, spec.MaxPositions, h),
            g.Initializer("zero", [0L], 1), seqLen, g.Initializer("axis0", [0L], 1)]);
        var embedding = g.Node("Add", [word, positions]);
        var typeTable = g.Initializer("token_type_embeddings", weights.TokenTypeEmbeddings, spec.TypeVocab, h);
        var typeEmbedding = types is not null
            ? g.Node("Gather", [typeTable, types], OnnxAttribute.Int("axis", 0))
            : g.Initializer("token_type_0", weights.TokenTypeEmbeddings[..h], h); // no input: every token is type 0
        embedding = g.Node("Add", [embedding, typeEmbedding]);
        var x = LayerNorm(g, embedding, weights.EmbeddingNormGamma, weights.EmbeddingNormBeta, spec.LayerNormEpsilon);

        // Additive attention mask: 0 where attended, -10000 at padding, shaped [B, 1, 1, S] to broadcast over heads and queries.
        var maskFloat = g.Node("Cast", [mask], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var padding = g.Node("Sub", [g.Scalar("one_f", 1f), maskFloat]);
        var maskBias = g.Node("Mul", [padding, g.Scalar("mask_fill", -10000f)]);
        maskBias = g.Node("Unsqueeze", [maskBias, g.Initializer("mask_axes", [1L, 2L], 2)]);

        var splitHeads = g.Initializer("split_heads", [0L, 0L, heads, dh], 4);
        var mergeHeads = g.Initializer("merge_heads", [0L, 0L, h], 3);
        var scale = g.Scalar("sqrt_head", MathF.Sqrt(dh));
        var sqrt2 = g.Scalar("sqrt2", MathF.Sqrt(2));
        var oneF = g.Scalar("one_gelu", 1f);
        var half = g.Scalar("half", 0.5f);
        foreach (var layer in weights.Layers)
        {
            // Q, K and V as one [H, 3H] product split three ways: the same arithmetic as three products, but one
            // larger GEMM (and, in int8, one activation quantisation), as optimised BERT exports pack them.
            var qkv = Linear(g, x, Pack(layer.Query, layer.Key, layer.Value, h), Concat(layer.QueryBias, layer.KeyBias, layer.ValueBias), h, 3 * h, precision);
            var parts = g.Node("Split", [qkv], 3, "", OnnxAttribute.Int("axis", -1));
            string q = parts[0], k = parts[1], v = parts[2];
            var qh = g.Node("Transpose", [g.Node("Reshape", [q, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3)); // [B, nh, S, dh]
            var kt = g.Node("Transpose", [g.Node("Reshape", [k, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 3, 1)); // [B, nh, dh, S]
            var vh = g.Node("Transpose", [g.Node("Reshape", [v, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var scores = g.Node("Div", [g.Node("MatMul", [qh, kt]), scale]);
            var probs = g.Node("Softmax", [g.Node("Add", [scores, maskBias])], OnnxAttribute.Int("axis", -1));
            var context = g.Node("Transpose", [g.Node("MatMul", [probs, vh])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            context = g.Node("Reshape", [context, mergeHeads]);
            var attended = Linear(g, context, layer.AttentionOutput, layer.AttentionOutputBias, h, h, precision);
            x = LayerNorm(g, g.Node("Add", [attended, x]), layer.AttentionNormGamma, layer.AttentionNormBeta, spec.LayerNormEpsilon);

            // GELU, exact form: 0.5·u·(1 + erf(u/√2)) (Hendrycks & Gimpel 2016), as BERT uses.
            var u = Linear(g, x, layer.Intermediate, layer.IntermediateBias, h, spec.Intermediate, precision);
            var erf = g.Node("Erf", [g.Node("Div", [u, sqrt2])]);
            var gelu = g.Node("Mul", [g.Node("Mul", [u, g.Node("Add", [erf, oneF])]), half]);
            var ffn = Linear(g, gelu, layer.Output, layer.OutputBias, spec.Intermediate, h, precision);
            x = LayerNorm(g, g.Node("Add", [ffn, x]), layer.OutputNormGamma, layer.OutputNormBeta, spec.LayerNormEpsilon);
        }

        // Pooler: tanh(W·h_[CLS] + b); classifier head on top.
        var cls = g.Node("Gather", [x, g.ScalarInt64("cls_index", 0)], OnnxAttribute.Int("axis", 1)); // [B, H]
        var pooled = g.Node("Tanh", [Linear(g, cls, weights.PoolerWeight, weights.PoolerBias, h, h, WeightPrecision.Float32)]);
        var logits = g.Node("MatMul", [pooled, g.Initializer("classifier_weight", weights.ClassifierWeight, h, spec.Labels)]);
        g.NodeNamed("Add", [logits, g.Initializer("classifier_bias", weights.ClassifierBias, spec.Labels)], LogitsOutput);
        g.Output(LogitsOutput, OnnxElementType.Float, "batch", spec.Labels);
        return g;
    }

    /// <summary>
    /// Writes a model folder the way a HuggingFace export lays it out: model.onnx, vocab.txt and a config.json
    /// with id2label, label2id and do_lower_case.
    /// </summary>
    public static void WriteModelFolder(string folder, BertWeights weights, IReadOnlyList<string> vocabulary, IReadOnlyList<string> id2label,
        bool doLowerCase = true, WeightPrecision precision = WeightPrecision.Float32)
    {
        if (vocabulary.Count != weights.Spec.VocabSize) throw new ArgumentException($"vocabulary has {vocabulary.Count} tokens, the model {weights.Spec.VocabSize}");
        if (id2label.Count != weights.Spec.Labels) throw new ArgumentException($"{id2label.Count} label names for {weights.Spec.Labels} labels");
        Directory.CreateDirectory(folder);
        Build(weights, precision).Save(Path.Combine(folder, "model.onnx"));
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), vocabulary);
        File.WriteAllText(Path.Combine(folder, "config.json"), Config(weights.Spec, id2label, doLowerCase).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static JsonObject Config(BertClassifierSpec spec, IReadOnlyList<string> id2label, bool doLowerCase)
    {
        var byId = new JsonObject();
        var byName = new JsonObject();
        for (var i = 0; i < id2label.Count; i++)
        {
            byId[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = id2label[i];
            byName[id2label[i]] = i;
        }
        return new JsonObject
        {
            ["architectures"] = new JsonArray("BertForSequenceClassification"),
            ["model_type"] = "bert",
            ["hidden_size"] = spec.Hidden,
            ["num_hidden_layers"] = spec.Layers,
            ["num_attention_heads"] = spec.Heads,
            ["intermediate_size"] = spec.Intermediate,
            ["max_position_embeddings"] = spec.MaxPositions,
            ["type_vocab_size"] = spec.TypeVocab,
            ["vocab_size"] = spec.VocabSize,
            ["layer_norm_eps"] = spec.LayerNormEpsilon,
            ["id2label"] = byId,
            ["label2id"] = byName,
            ["do_lower_case"] = doLowerCase,
        };
    }

    /// <summary>Three [rows, cols] matrices side by side: [rows, 3·cols].</summary>
    private static float[] Pack(float[] a, float[] b, float[] c, int cols)
    {
        var rows = a.Length / cols;
        var packed = new float[rows * 3 * cols];
        for (var r = 0; r < rows; r++)
        {
            Array.Copy(a, r * cols, packed, r * 3 * cols, cols);
            Array.Copy(b, r * cols, packed, r * 3 * cols + cols, cols);
            Array.Copy(c, r * cols, packed, r * 3 * cols + 2 * cols, cols);
        }
        return packed;
    }

    private static float[] Concat(params float[][] parts) => parts.SelectMany(p => p).ToArray();

    private static string LayerNorm(OnnxGraph g, string x, float[] gamma, float[] beta, float epsilon) =>
        g.Node("LayerNormalization", [x, g.Initializer("ln_gamma", gamma, gamma.Length), g.Initializer("ln_beta", beta, beta.Length)],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", epsilon));

    /// <summary>y = x·W + b for W [k, n], fp32 or dynamically quantised.</summary>
    private static string Linear(OnnxGraph g, string x, float[] w, float[] b, int k, int n, WeightPrecision precision)
    {
        var bias = g.Initializer("bias", b, n);
        if (precision == WeightPrecision.Float32)
            return g.Node("Add", [g.Node("MatMul", [x, g.Initializer("weight", w, k, n)]), bias]);

        var (quantised, scales) = WeightQuantiser.PerColumnInt8(w, k, n);
        var dq = g.Node("DynamicQuantizeLinear", [x], 3, "");                 // uint8 x, x_scale, x_zero_point
        var acc = g.Node("MatMulInteger", [dq[0], g.Initializer("weight_q", quantised, k, n), dq[2], g.Initializer("weight_zp", new sbyte[n], n)]);
        var accFloat = g.Node("Cast", [acc], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var scale = g.Node("Mul", [dq[1], g.Initializer("weight_scale", scales, n)]);
        return g.Node("Add", [g.Node("Mul", [accFloat, scale]), bias]);
    }
}

/// <summary>Symmetric int8 quantisation of weight matrices.</summary>
public static class WeightQuantiser
{
    /// <summary>
    /// One scale per output column n of W [k, n]: s_n = max_i |W[i, n]| / 127, q = round(W / s_n) in [-127, 127].
    /// Dequantised, q·s_n is within s_n / 2 of W.
    /// </summary>
    public static (sbyte[] Quantised, float[] Scales) PerColumnInt8(float[] w, int k, int n)
    {
        var scales = new float[n];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < n; j++)
                scales[j] = MathF.Max(scales[j], MathF.Abs(w[i * n + j]));
        for (var j = 0; j < n; j++) scales[j] = scales[j] > 0 ? scales[j] / 127f : 1f;
        var q = new sbyte[w.Length];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < n; j++)
                q[i * n + j] = (sbyte)Math.Clamp(MathF.Round(w[i * n + j] / scales[j]), -127, 127);
        return (q, scales);
    }
}
