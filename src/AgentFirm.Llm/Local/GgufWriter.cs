using System.Buffers.Binary;
using System.Text;

namespace AgentFirm.Llm.Local;

/// <summary>
/// Writes GGUF files (version 3), the single-file model format llama.cpp loads. Used to make random-weight
/// llama models of a chosen size from a seed, so the embedded model's tests and the llm-local bench need no
/// downloaded weights.
/// <para>
/// Format facts relied on, from the GGUF specification (ggml repository, docs/gguf.md):
/// everything is little-endian; the header is the magic bytes "GGUF", a u32 version (3), a u64 tensor count and
/// a u64 metadata key/value count; a string is a u64 byte length followed by UTF-8 bytes without a terminator;
/// a key/value is the key string, a u32 value type (<see cref="GgufValueType"/>) and the value, an array being a
/// u32 element type, a u64 count and the elements; each tensor info is its name, a u32 dimension count, the u64
/// dimensions innermost first (ne[0] is the row length), a u32 ggml type (<see cref="GgmlType"/>) and a u64 offset
/// into the data section that is a multiple of the alignment; the data section starts at the first multiple of
/// <c>general.alignment</c> (32 when absent) after the tensor infos, and padding is zero bytes.
/// </para>
/// </summary>
public sealed class GgufWriter
{
    /// <summary>The data alignment the writer declares in <c>general.alignment</c> (the spec's default).</summary>
    public const int Alignment = 32;

    private readonly List<(string Key, GgufValueType Type, Action<BinaryWriter> Write)> _values = [];
    private readonly List<GgufTensor> _tensors = [];

    public void Add(string key, string value) => _values.Add((key, GgufValueType.String, w => WriteString(w, value)));
    public void Add(string key, uint value) => _values.Add((key, GgufValueType.UInt32, w => w.Write(value)));
    public void Add(string key, float value) => _values.Add((key, GgufValueType.Float32, w => w.Write(value)));
    public void Add(string key, bool value) => _values.Add((key, GgufValueType.Bool, w => w.Write(value ? (byte)1 : (byte)0)));

    public void Add(string key, IReadOnlyList<string> values) => AddArray(key, GgufValueType.String, values.Count, w =>
    {
        foreach (var v in values) WriteString(w, v);
    });

    public void Add(string key, IReadOnlyList<float> values) => AddArray(key, GgufValueType.Float32, values.Count, w =>
    {
        foreach (var v in values) w.Write(v);
    });

    public void Add(string key, IReadOnlyList<int> values) => AddArray(key, GgufValueType.Int32, values.Count, w =>
    {
        foreach (var v in values) w.Write(v);
    });

    /// <summary>An F32 tensor whose values <paramref name="fill"/> writes into the span it is given (its length is the element count).</summary>
    public void AddTensor(string name, long[] dims, Action<Span<float>> fill) => _tensors.Add(new GgufTensor(name, dims, fill));

    /// <summary>Writes the file; tensors are filled one at a time in chunks, so a large model never sits in memory whole.</summary>
    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_values.Count + 1);
        WriteString(w, "general.alignment");
        w.Write((uint)GgufValueType.UInt32);
        w.Write((uint)Alignment);
        foreach (var (key, type, write) in _values)
        {
            WriteString(w, key);
            w.Write((uint)type);
            write(w);
        }
        ulong offset = 0;
        foreach (var t in _tensors)
        {
            WriteString(w, t.Name);
            w.Write((uint)t.Dims.Length);
            foreach (var d in t.Dims) w.Write((ulong)d);
            w.Write((uint)GgmlType.F32);
            w.Write(offset);
            offset = AlignUp(offset + (ulong)t.Bytes);
        }
        w.Flush();
        Pad(stream);
        foreach (var t in _tensors)
        {
            WriteData(stream, t);
            Pad(stream);
        }
    }

    private static void WriteData(Stream stream, GgufTensor tensor)
    {
        // The fill callback sees the whole tensor, so one buffer of its size; the biggest tensor of a ~100 M
        // model is a few tens of MB.
        var values = new float[tensor.Elements];
        tensor.Fill(values);
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        stream.Write(bytes);
    }

    private static void Pad(Stream stream)
    {
        var padding = (int)(AlignUp((ulong)stream.Position) - (ulong)stream.Position);
        for (var i = 0; i < padding; i++) stream.WriteByte(0);
    }

    private static ulong AlignUp(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private void AddArray(string key, GgufValueType elementType, int count, Action<BinaryWriter> writeElements) =>
        _values.Add((key, GgufValueType.Array, w =>
        {
            w.Write((uint)elementType);
            w.Write((ulong)count);
            writeElements(w);
        }));

    private static void WriteString(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private sealed record GgufTensor(string Name, long[] Dims, Action<Span<float>> Fill)
    {
        public long Elements => Dims.Aggregate(1L, (a, b) => a * b);
        public long Bytes => Elements * sizeof(float);
    }
}

/// <summary>GGUF metadata value types (the spec's <c>gguf_metadata_value_type</c>).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7, String = 8, Array = 9,
    UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>The ggml tensor types this code writes or sizes (the spec's <c>ggml_type</c>; quantised types are only read past).</summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
}
