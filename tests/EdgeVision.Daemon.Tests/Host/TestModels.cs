using EdgeVision.Core.IO;
using EdgeVision.Inference.Tests;
using Google.Protobuf;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>Small contract models written to disk for the daemon to load.</summary>
internal static class TestModels
{
    /// <summary>A tiny valid contract model with <paramref name="classes"/> classes labelled "class 0"…</summary>
    public static string Tiny(string directory, string name = "tiny.onnx", int classes = 6, int seed = 7) =>
        new TinyContractModel { Classes = classes, Seed = seed }.Save(directory, name);

    /// <summary>Writes a tiny model to <paramref name="path"/> via temp file + rename (how tools publish models).</summary>
    public static void ReplaceAtomically(string path, int classes, int seed) =>
        AtomicFile.WriteBytes(path, new TinyContractModel { Classes = classes, Seed = seed }.Build().ToByteArray());

    /// <summary>A file that parses as ONNX but breaks the contract: its input is float, not uint8.</summary>
    public static byte[] WrongContract() =>
        new TinyContractModel { InputType = EdgeVision.Onnx.Proto.TensorProto.Types.DataType.Float }.Build().ToByteArray();
}
