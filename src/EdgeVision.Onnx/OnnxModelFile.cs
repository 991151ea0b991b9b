using EdgeVision.Core.IO;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Onnx;

/// <summary>Reading and writing .onnx files; a save never leaves a half-written model where the daemon could load it.</summary>
public static class OnnxModelFile
{
    /// <summary>Protobuf's default nesting limit (100) is plenty for what we write; imported graphs may nest subgraphs deeper.</summary>
    private const int RecursionLimit = 1000;

    public static byte[] ToBytes(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.ToByteArray();
    }

    /// <summary>Publishes the model as <paramref name="path"/> through <see cref="AtomicFile"/>.</summary>
    public static void Save(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        AtomicFile.Write(path, model.WriteTo);
    }

    /// <summary>Parses <paramref name="path"/>; throws <see cref="ModelContractException"/> naming the file when it cannot.</summary>
    public static ModelProto Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ModelContractException($"{path}: cannot read the model file: {e.Message}", e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Parses model bytes; <paramref name="source"/> names them in errors.</summary>
    public static ModelProto Parse(ReadOnlySpan<byte> bytes, string source)
    {
        if (bytes.IsEmpty) throw new ModelContractException($"{source}: the model file is empty");
        ModelProto model;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var input = CodedInputStream.CreateWithLimits(stream, int.MaxValue, RecursionLimit);
            model = ModelProto.Parser.ParseFrom(input);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelContractException($"{source}: not an ONNX model (protobuf parse failed: {e.Message})", e);
        }
        if (model.Graph is null || model.IrVersion <= 0)
            throw new ModelContractException($"{source}: not an ONNX model (no graph or IR version)");
        return model;
    }
}
