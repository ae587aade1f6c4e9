using System.Runtime.InteropServices;

namespace AgentFirm.Models.Sentiment.Onnx.Export;

/// <summary>ONNX tensor element types (TensorProto.DataType) this writer emits.</summary>
public enum OnnxElementType { Float = 1, UInt8 = 2, Int8 = 3, Int32 = 6, Int64 = 7 }

/// <summary>
/// A small builder for an ONNX graph: initializers, nodes, typed inputs and outputs, serialised as a
/// ModelProto by hand (field numbers from onnx/onnx.proto, IR version 8, opset 17 plus com.microsoft 1).
/// Only the subset of the format a BERT-shaped classifier needs is covered.
/// </summary>
public sealed class OnnxGraph
{
    public const int Opset = 17;
    private const long IrVersion = 8;

    private readonly List<Action<ProtoWriter>> _nodes = [];
    private readonly List<Action<ProtoWriter>> _initializers = [];
    private readonly List<Action<ProtoWriter>> _inputs = [];
    private readonly List<Action<ProtoWriter>> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _next;

    public OnnxGraph(string name) => Name = name;

    public string Name { get; }

    /// <summary>A fresh value name with a readable prefix.</summary>
    public string Fresh(string prefix)
    {
        string name;
        do name = $"{prefix}_{_next++}"; while (!_names.Add(name));
        return name;
    }

    public string Initializer(string prefix, float[] data, params long[] dims) =>
        AddInitializer(prefix, OnnxElementType.Float, data, dims);

    public string Initializer(string prefix, long[] data, params long[] dims) => AddInitializer(prefix, OnnxElementType.Int64, data, dims);

    public string Initializer(string prefix, sbyte[] data, params long[] dims) => AddInitializer(prefix, OnnxElementType.Int8, data, dims);

    public string Initializer(string prefix, byte[] data, params long[] dims) => AddInitializer(prefix, OnnxElementType.UInt8, data, dims);

    public string Scalar(string prefix, float value) => Initializer(prefix, [value]);

    public string ScalarInt64(string prefix, long value) => Initializer(prefix, [value]);

    private string AddInitializer<T>(string prefix, OnnxElementType type, T[] data, long[] dims) where T : unmanaged
    {
        var expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != data.Length) throw new ArgumentException($"initializer {prefix}: {data.Length} values for shape [{string.Join(",", dims)}]");
        var name = Fresh(prefix);
        _initializers.Add(w =>
        {
            foreach (var d in dims) w.Int64(1, d);         // dims
            w.Int32(2, (int)type);                         // data_type
            w.String(8, name);                             // name
            w.Bytes(9, MemoryMarshal.AsBytes(data.AsSpan())); // raw_data, little-endian as ONNX requires
        });
        return name;
    }

    /// <summary>Adds a graph input; a dim is an int (fixed) or a string (symbolic, e.g. "batch").</summary>
    public string Input(string name, OnnxElementType type, params object[] dims)
    {
        if (!_names.Add(name)) throw new ArgumentException($"value {name} already exists");
        _inputs.Add(w => ValueInfo(w, name, type, dims));
        return name;
    }

    public void Output(string name, OnnxElementType type, params object[] dims) => _outputs.Add(w => ValueInfo(w, name, type, dims));

    /// <summary>Adds a node with one output and returns that output's name.</summary>
    public string Node(string opType, string[] inputs, params OnnxAttribute[] attributes) => Node(opType, inputs, 1, "", attributes)[0];

    public string[] Node(string opType, string[] inputs, int outputCount, string domain, params OnnxAttribute[] attributes)
    {
        var outputs = Enumerable.Range(0, outputCount).Select(_ => Fresh(opType.ToLowerInvariant())).ToArray();
        AddNode(opType, inputs, outputs, domain, attributes);
        return outputs;
    }

    /// <summary>A node whose output gets a chosen name (graph outputs).</summary>
    public void NodeNamed(string opType, string[] inputs, string output, params OnnxAttribute[] attributes)
    {
        if (!_names.Add(output)) throw new ArgumentException($"value {output} already exists");
        AddNode(opType, inputs, [output], "", attributes);
    }

    private void AddNode(string opType, string[] inputs, string[] outputs, string domain, OnnxAttribute[] attributes)
    {
        var nodeName = $"n{_nodes.Count}_{opType}";
        _nodes.Add(w =>
        {
            foreach (var i in inputs) w.String(1, i);
            foreach (var o in outputs) w.String(2, o);
            w.String(3, nodeName);
            w.String(4, opType);
            foreach (var a in attributes) w.Message(5, a.Write);
            if (domain.Length > 0) w.String(7, domain);
        });
    }

    public void Save(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        Write(file);
    }

    public void Write(Stream stream)
    {
        var w = ProtoWriter.To(stream);
        w.Int64(1, IrVersion);                      // ir_version
        w.String(2, "AgentFirm.Models.Onnx");       // producer_name
        w.Message(7, WriteGraph);                   // graph
        w.Message(8, o => o.Int64(2, Opset));       // opset_import: default domain
        w.Message(8, o => { o.String(1, "com.microsoft"); o.Int64(2, 1); });
    }

    private void WriteGraph(ProtoWriter g)
    {
        foreach (var n in _nodes) g.Message(1, n);
        g.String(2, Name);
        foreach (var t in _initializers) g.Message(5, t);
        foreach (var i in _inputs) g.Message(11, i);
        foreach (var o in _outputs) g.Message(12, o);
    }

    private static void ValueInfo(ProtoWriter w, string name, OnnxElementType type, object[] dims)
    {
        w.String(1, name);
        w.Message(2, t => t.Message(1, tensor =>          // TypeProto.tensor_type
        {
            tensor.Int32(1, (int)type);                    // elem_type
            tensor.Message(2, shape =>                     // TensorShapeProto
            {
                foreach (var d in dims)
                    shape.Message(1, dim =>
                    {
                        switch (d)
                        {
                            case string symbol: dim.String(2, symbol); break;
                            case int v: dim.Int64(1, v); break;
                            case long v: dim.Int64(1, v); break;
                            default: throw new ArgumentException($"dimension {d} of {name} is neither a number nor a name");
                        }
                    });
            });
        }));
    }
}

/// <summary>A node attribute (AttributeProto): an int, a float or a list of ints.</summary>
public sealed class OnnxAttribute
{
    private readonly Action<ProtoWriter> _write;

    private OnnxAttribute(Action<ProtoWriter> write) => _write = write;

    public static OnnxAttribute Int(string name, long value) => new(w => { w.String(1, name); w.Int64(3, value); w.Int32(20, 2); });

    public static OnnxAttribute Float(string name, float value) => new(w => { w.String(1, name); w.Float(2, value); w.Int32(20, 1); });

    public static OnnxAttribute Ints(string name, params long[] values) => new(w =>
    {
        w.String(1, name);
        foreach (var v in values) w.Int64(8, v);
        w.Int32(20, 7);
    });

    internal void Write(ProtoWriter w) => _write(w);
}
