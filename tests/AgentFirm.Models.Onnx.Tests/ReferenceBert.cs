using AgentFirm.Models.Sentiment.Onnx.Export;

namespace AgentFirm.Models.Onnx.Tests;

/// <summary>
/// An independent forward pass of BERT for sequence classification over plain arrays, one unpadded sentence at
/// a time, written from the paper (Devlin et al. 2018, section 3) and transformers' modeling_bert.py:
/// embeddings (word + position + type) and LayerNorm; per layer, multi-head scaled dot-product attention,
/// residual + LayerNorm, exact-erf GELU feed-forward, residual + LayerNorm; tanh pooler on [CLS]; linear head.
/// Accumulates in double. Shares nothing with the ONNX graph but the weights.
/// </summary>
internal static class ReferenceBert
{
    public static double[] Probabilities(BertWeights w, int[] ids)
    {
        var s = w.Spec;
        int n = ids.Length, h = s.Hidden, nh = s.Heads, dh = h / nh;
        var x = new double[n][];
        for (var t = 0; t < n; t++)
        {
            x[t] = new double[h];
            for (var j = 0; j < h; j++)
                x[t][j] = w.WordEmbeddings[ids[t] * h + j] + w.PositionEmbeddings[t * h + j] + w.TokenTypeEmbeddings[j];
            x[t] = LayerNorm(x[t], w.EmbeddingNormGamma, w.EmbeddingNormBeta, s.LayerNormEpsilon);
        }
        foreach (var layer in w.Layers)
        {
            var q = x.Select(r => Linear(r, layer.Query, layer.QueryBias, h)).ToArray();
            var k = x.Select(r => Linear(r, layer.Key, layer.KeyBias, h)).ToArray();
            var v = x.Select(r => Linear(r, layer.Value, layer.ValueBias, h)).ToArray();
            var context = new double[n][];
            for (var t = 0; t < n; t++) context[t] = new double[h];
            for (var head = 0; head < nh; head++)
                for (var t = 0; t < n; t++)
                {
                    var scores = new double[n];
                    for (var u = 0; u < n; u++)
                    {
                        double dot = 0;
                        for (var d = 0; d < dh; d++) dot += q[t][head * dh + d] * k[u][head * dh + d];
                        scores[u] = dot / Math.Sqrt(dh);
                    }
                    var p = Softmax(scores);
                    for (var u = 0; u < n; u++)
                        for (var d = 0; d < dh; d++) context[t][head * dh + d] += p[u] * v[u][head * dh + d];
                }
            for (var t = 0; t < n; t++)
            {
                var attended = Linear(context[t], layer.AttentionOutput, layer.AttentionOutputBias, h);
                var a = LayerNorm(Add(attended, x[t]), layer.AttentionNormGamma, layer.AttentionNormBeta, s.LayerNormEpsilon);
                var inner = Linear(a, layer.Intermediate, layer.IntermediateBias, s.Intermediate).Select(Gelu).ToArray();
                var ffn = Linear(inner, layer.Output, layer.OutputBias, h);
                x[t] = LayerNorm(Add(ffn, a), layer.OutputNormGamma, layer.OutputNormBeta, s.LayerNormEpsilon);
            }
        }
        var pooled = Linear(x[0], w.PoolerWeight, w.PoolerBias, h).Select(Math.Tanh).ToArray();
        return Softmax(Linear(pooled, w.ClassifierWeight, w.ClassifierBias, s.Labels));
    }

    private static double[] Linear(double[] x, float[] weight, float[] bias, int outputs)
    {
        var y = new double[outputs];
        for (var o = 0; o < outputs; o++) y[o] = bias[o];
        for (var i = 0; i < x.Length; i++)
            for (var o = 0; o < outputs; o++) y[o] += x[i] * weight[i * outputs + o];
        return y;
    }

    private static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    private static double[] LayerNorm(double[] x, float[] gamma, float[] beta, double eps)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average(); // biased, as LayerNorm uses
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + eps) * gamma[i] + beta[i]).ToArray();
    }

    private static double[] Softmax(double[] z)
    {
        var max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        var sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static double Gelu(double u) => 0.5 * u * (1 + Erf(u / Math.Sqrt(2)));

    /// <summary>erf by Abramowitz &amp; Stegun 7.1.26 (|error| &lt;= 1.5e-7), odd extension for negative x.</summary>
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1 / (1 + 0.3275911 * x);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1 - poly * Math.Exp(-x * x));
    }
}
