using System.Runtime.InteropServices;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;
using DataType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType;

namespace EdgeVision.Onnx.Graph;

/// <summary>
/// TensorProto from managed arrays and back. Payloads go into raw_data (little-endian, as ONNX specifies)
/// because it is compact and is what every runtime reads fastest; readers also accept the typed fields.
/// </summary>
public static class OnnxTensor
{
    public static TensorProto FromFloats(string name, ReadOnlySpan<float> values, params long[] dims) =>
        Raw(name, DataType.Float, MemoryMarshal.AsBytes(values), values.Length, dims);

    public static TensorProto FromLongs(string name, ReadOnlySpan<long> values, params long[] dims) =>
        Raw(name, DataType.Int64, MemoryMarshal.AsBytes(values), values.Length, dims);

    public static float[] ToFloats(TensorProto tensor)
    {
        if (tensor.DataType != (int)DataType.Float)
            throw new InvalidDataException($"tensor '{tensor.Name}' is {(DataType)tensor.DataType}, not float");
        float[] values = tensor.RawData.IsEmpty
            ? tensor.FloatData.ToArray()
            : MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        CheckCount(tensor, values.Length);
        return values;
    }

    public static long[] ToLongs(TensorProto tensor)
    {
        long[] values = tensor.DataType switch
        {
            (int)DataType.Int64 => tensor.RawData.IsEmpty ? tensor.Int64Data.ToArray() : MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray(),
            (int)DataType.Int32 => tensor.RawData.IsEmpty
                ? tensor.Int32Data.Select(v => (long)v).ToArray()
                : MemoryMarshal.Cast<byte, int>(tensor.RawData.Span).ToArray().Select(v => (long)v).ToArray(),
            _ => throw new InvalidDataException($"tensor '{tensor.Name}' is {(DataType)tensor.DataType}, not an integer tensor"),
        };
        CheckCount(tensor, values.Length);
        return values;
    }

    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (a, d) => a * d);

    private static void CheckCount(TensorProto tensor, int count)
    {
        long expected = ElementCount(tensor);
        if (expected != count)
            throw new InvalidDataException($"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Dims)}] ({expected} values) but holds {count}");
    }

    private static TensorProto Raw(string name, DataType type, ReadOnlySpan<byte> bytes, int count, long[] dims)
    {
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        if (expected != count)
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", dims)}] holds {expected} values, {count} given");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; big-endian hosts are not supported");
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(dims);
        return t;
    }
}
