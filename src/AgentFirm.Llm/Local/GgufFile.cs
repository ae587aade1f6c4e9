using System.Text;

namespace AgentFirm.Llm.Local;

/// <summary>What a structurally sound GGUF file declares: its version, architecture, metadata and tensor counts.</summary>
public sealed record GgufSummary(uint Version, string? Architecture, string? ChatTemplate, long MetadataCount, long TensorCount, long DataBytes);

/// <summary>
/// Reads a GGUF file's header, metadata and tensor infos (never the weights) and checks that every tensor's data
/// lies inside the file. It is the cheap check that runs before any data loads, so a truncated download or a file
/// that is not a GGUF at all is a configuration error naming the path rather than a native failure minutes later.
/// Layout as in <see cref="GgufWriter"/> (ggml docs/gguf.md); versions 2 and 3 share it.
/// </summary>
public static class GgufFile
{
    // Bounds that no real model reaches but that stop a corrupt count from allocating gigabytes.
    private const long MaxCount = 1L << 24;
    private const long MaxString = 1L << 26;

    /// <exception cref="FileNotFoundException">the file does not exist.</exception>
    /// <exception cref="InvalidDataException">the file is not a readable GGUF; the message names the path.</exception>
    public static GgufSummary Inspect(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"GGUF model file {path} does not exist", path);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var r = new BinaryReader(stream, Encoding.UTF8);
            return Read(r, stream.Length);
        }
        catch (EndOfStreamException)
        {
            throw Corrupt(path, new InvalidDataException("it ends inside its header or metadata (truncated)"));
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(path, e);
        }
    }

    /// <summary>The problem itself stays the inner exception, so callers can quote it without the path twice.</summary>
    private static InvalidDataException Corrupt(string path, InvalidDataException problem) =>
        new($"GGUF model file {path} is corrupt: {problem.Message}", problem);

    private static GgufSummary Read(BinaryReader r, long fileLength)
    {
        if (!r.ReadBytes(4).AsSpan().SequenceEqual("GGUF"u8))
            throw new InvalidDataException("it does not start with the GGUF magic bytes");
        var version = r.ReadUInt32();
        if (version is not (2 or 3)) throw new InvalidDataException($"GGUF version {version} is not supported (2 or 3)");
        var tensors = Count(r.ReadUInt64(), "tensor count");
        var values = Count(r.ReadUInt64(), "metadata count");
        string? architecture = null, template = null;
        long alignment = 32;
        for (var i = 0; i < values; i++)
        {
            var key = ReadString(r);
            var type = (GgufValueType)r.ReadUInt32();
            if (type == GgufValueType.String && key is "general.architecture" or "tokenizer.chat_template")
            {
                var text = ReadString(r);
                if (key == "general.architecture") architecture = text; else template = text;
            }
            else if (key == "general.alignment" && type == GgufValueType.UInt32)
            {
                alignment = r.ReadUInt32();
                if (alignment == 0 || (alignment & (alignment - 1)) != 0) throw new InvalidDataException($"general.alignment {alignment} is not a power of two");
            }
            else Skip(r, type);
        }
        long dataEnd = 0;
        for (var i = 0; i < tensors; i++)
        {
            var name = ReadString(r);
            var dims = r.ReadUInt32();
            if (dims is 0 or > 4) throw new InvalidDataException($"tensor '{name}' has {dims} dimensions");
            long elements = 1;
            for (var d = 0; d < dims; d++) elements = checked(elements * Count(r.ReadUInt64(), $"tensor '{name}' dimension"));
            var ggmlType = r.ReadUInt32();
            var offset = (long)r.ReadUInt64();
            if (offset < 0 || offset % alignment != 0) throw new InvalidDataException($"tensor '{name}' has a misaligned offset {offset}");
            dataEnd = Math.Max(dataEnd, offset + BytesAtLeast(ggmlType, elements));
        }
        var dataStart = (r.BaseStream.Position + alignment - 1) / alignment * alignment;
        if (dataStart + dataEnd > fileLength)
            throw new InvalidDataException($"its tensors need {dataStart + dataEnd} bytes but the file has {fileLength} (truncated?)");
        return new GgufSummary(version, architecture, template, values, tensors, dataEnd);
    }

    /// <summary>
    /// A lower bound on a tensor's bytes: exact for F32 and F16; quantised types pack at least 1.5 bits per weight
    /// (the smallest ggml block types), which still catches a file cut short.
    /// </summary>
    private static long BytesAtLeast(uint ggmlType, long elements) => ggmlType switch
    {
        (uint)GgmlType.F32 => elements * 4,
        (uint)GgmlType.F16 => elements * 2,
        _ => elements * 3 / 16,
    };

    private static void Skip(BinaryReader r, GgufValueType type)
    {
        switch (type)
        {
            case GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool: r.ReadByte(); break;
            case GgufValueType.UInt16 or GgufValueType.Int16: r.ReadUInt16(); break;
            case GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32: r.ReadUInt32(); break;
            case GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64: r.ReadUInt64(); break;
            case GgufValueType.String: SkipBytes(r, StringLength(r)); break;
            case GgufValueType.Array:
                var element = (GgufValueType)r.ReadUInt32();
                if (element == GgufValueType.Array) throw new InvalidDataException("nested metadata arrays are not supported");
                var count = Count(r.ReadUInt64(), "metadata array length");
                for (var i = 0; i < count; i++) Skip(r, element);
                break;
            default: throw new InvalidDataException($"unknown metadata value type {(uint)type}");
        }
    }

    private static string ReadString(BinaryReader r) => Encoding.UTF8.GetString(r.ReadBytes(checked((int)StringLength(r))));

    private static long StringLength(BinaryReader r)
    {
        var length = r.ReadUInt64();
        if (length > MaxString || (long)length > r.BaseStream.Length - r.BaseStream.Position)
            throw new InvalidDataException($"a string of {length} bytes runs past the end of the file");
        return (long)length;
    }

    private static void SkipBytes(BinaryReader r, long count) => r.BaseStream.Seek(count, SeekOrigin.Current);

    private static long Count(ulong value, string what) =>
        value <= MaxCount ? (long)value : throw new InvalidDataException($"{what} {value} is implausibly large");
}
