using AgentFirm.Models.Sentiment.Onnx.Export;

namespace AgentFirm.Models.Onnx.Tests;

public sealed class ProtoWriterTests
{
    // Worked examples from https://protobuf.dev/programming-guides/encoding/ : field 1 = 150 is 08 96 01;
    // field 2 = "testing" is 12 07 74 65 73 74 69 6e 67; a nested message (field 3) holding 150 is 1a 03 08 96 01.
    [Fact]
    public void Encodes_the_protobuf_documentation_examples()
    {
        Assert.Equal([0x08, 0x96, 0x01], Bytes(w => w.Int64(1, 150)));
        Assert.Equal([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67], Bytes(w => w.String(2, "testing")));
        Assert.Equal([0x1a, 0x03, 0x08, 0x96, 0x01], Bytes(w => w.Message(3, m => m.Int64(1, 150))));
        // Negative int64 is its two's complement as a 10-byte varint.
        Assert.Equal([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], Bytes(w => w.Int64(1, -1)));
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3f], Bytes(w => w.Float(2, 1f)));
    }

    private static byte[] Bytes(Action<ProtoWriter> write)
    {
        using var stream = new MemoryStream();
        write(ProtoWriter.To(stream));
        return stream.ToArray();
    }
}

public sealed class BertClassifierSpecTests
{
    [Fact]
    public void Flops_per_sentence_counts_every_matrix_product_of_the_weights_and_attention()
    {
        // Independent count: 2 x (rows x cols) x tokens for every token-wise weight matrix, 2 x rows x cols once
        // for the pooler and head, and 2 x 2 x S^2 x H per layer for QK^T and PV.
        var weights = TinyBertForFlops();
        var spec = weights.Spec;
        const int s = 20;
        double expected = 0;
        foreach (var l in weights.Layers)
            expected += 2.0 * s * (l.Query.Length + l.Key.Length + l.Value.Length + l.AttentionOutput.Length + l.Intermediate.Length + l.Output.Length)
                        + 4.0 * s * s * spec.Hidden;
        expected += 2.0 * (weights.PoolerWeight.Length + weights.ClassifierWeight.Length);
        Assert.Equal(expected, spec.FlopsPerSentence(s), 6);
        // bert-base at 64 tokens, the figure the finbert bench divides by: 11.024 GFLOP.
        Assert.Equal(11.024, BertClassifierSpec.Base.FlopsPerSentence(64) / 1e9, 3);
    }

    private static BertWeights TinyBertForFlops() =>
        BertWeights.Random(new BertClassifierSpec { VocabSize = 10, Hidden = 8, Layers = 3, Heads = 2, Intermediate = 12, MaxPositions = 32, Labels = 3 }, 1);
}

public sealed class WeightQuantiserTests
{
    [Fact]
    public void Per_column_int8_dequantises_within_half_a_step_and_uses_the_full_range()
    {
        const int k = 50, n = 7;
        var rng = new Random(5);
        var w = Enumerable.Range(0, k * n).Select(i => (float)(rng.NextDouble() * 2 - 1) * (1 + i % n)).ToArray(); // column scales differ
        var (q, scales) = WeightQuantiser.PerColumnInt8(w, k, n);
        for (var j = 0; j < n; j++)
        {
            var maxAbs = Enumerable.Range(0, k).Max(i => Math.Abs(w[i * n + j]));
            Assert.Equal(maxAbs / 127f, scales[j], 1e-6);
            Assert.Equal(127, Enumerable.Range(0, k).Max(i => Math.Abs((int)q[i * n + j]))); // the largest weight maps to +-127
            for (var i = 0; i < k; i++) Assert.True(Math.Abs(q[i * n + j] * scales[j] - w[i * n + j]) <= scales[j] / 2 + 1e-6);
        }
    }
}
