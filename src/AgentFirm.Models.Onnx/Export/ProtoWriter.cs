using System.Buffers.Binary;
using System.Text;

namespace AgentFirm.Models.Sentiment.Onnx.Export;

/// <summary>
/// The few protobuf wire-format primitives the ONNX writer needs (varints, length-delimited fields, fixed32),
/// written straight to a stream. Nested messages are written twice: once to a counting writer to learn their
/// length, once for real, so a 440 MB model streams to disk without being buffered whole in memory
/// (weights are spans over the caller's arrays, never copied).
/// Wire format: https://protobuf.dev/programming-guides/encoding/
/// </summary>
internal sealed class ProtoWriter
{
    private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;
    private readonly Stream? _stream;

    private ProtoWriter(Stream? stream) => _stream = stream;

    public static ProtoWriter To(Stream stream) => new(stream);

    /// <summary>Bytes written (or that would have been, when counting).</summary>
    public long Length { get; private set; }

    public void Int64(int field, long value)
    {
        Tag(field, Varint);
        RawVarint(unchecked((ulong)value));
    }

    public void Int32(int field, int value) => Int64(field, value); // negative int32 is sign-extended to 10 bytes, as protobuf does

    public void Float(int field, float value)
    {
        Tag(field, Fixed32);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        Raw(b);
    }

    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        RawVarint((ulong)value.Length);
        Raw(value);
    }

    public void Message(int field, Action<ProtoWriter> body)
    {
        var counter = new ProtoWriter(null);
        body(counter);
        Tag(field, LengthDelimited);
        RawVarint((ulong)counter.Length);
        var before = Length;
        body(this);
        if (Length - before != counter.Length) throw new InvalidOperationException("a nested message wrote different bytes on its second pass");
    }

    private void Tag(int field, int wireType) => RawVarint((ulong)((field << 3) | wireType));

    private void RawVarint(ulong value)
    {
        Span<byte> b = stackalloc byte[10];
        var n = 0;
        while (value >= 0x80)
        {
            b[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        b[n++] = (byte)value;
        Raw(b[..n]);
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        _stream?.Write(bytes);
        Length += bytes.Length;
    }
}
