using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Quantization;

/// <summary>Reading and writing the initializer payloads the rewrites need (raw_data little-endian, or the typed fields).</summary>
internal static class OnnxTensors
{
    public static float[] ReadFloats(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"initializer '{t.Name}' is {(TensorProto.Types.DataType)t.DataType}, expected float");
        if (!t.RawData.IsEmpty)
        {
            var span = t.RawData.Span;
            if (span.Length % 4 != 0) throw new InvalidDataException($"initializer '{t.Name}' has {span.Length} raw bytes, not a whole number of floats");
            return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span).ToArray();
        }
        return t.FloatData.ToArray();
    }

    public static int[] Shape(TensorProto t) => t.Dims.Select(d => checked((int)d)).ToArray();

    public static TensorProto Float(string name, float[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Float, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto Int8(string name, sbyte[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int8, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto Uint8(string name, byte[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Uint8, values, dims);

    public static TensorProto Int32(string name, int[] values, params long[] dims) =>
        Raw(name, TensorProto.Types.DataType.Int32, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()), dims);

    public static TensorProto Float16(string name, float[] values, IEnumerable<long> dims)
    {
        var halves = new Half[values.Length];
        for (int i = 0; i < values.Length; i++) halves[i] = (Half)values[i];
        return Raw(name, TensorProto.Types.DataType.Float16, System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()), dims.ToArray());
    }

    private static TensorProto Raw(string name, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }

    public static NodeProto Node(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Name = name };
        n.Input.AddRange(inputs);
        n.Output.AddRange(outputs);
        n.Attribute.AddRange(attributes);
        return n;
    }

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static ValueInfoProto TensorValue(string name, TensorProto.Types.DataType type) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } } };

    public static long Attribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    public static float FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;

    /// <summary>The default-domain opset version the model imports (0 when none).</summary>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
}
