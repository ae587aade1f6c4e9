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
