using EdgeVision.Onnx;
using EdgeVision.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Training.Tests.Transfer;

/// <summary>One ORT session over an in-memory graph, fed and read with plain arrays: the reference the TorchSharp side is compared with.</summary>
internal sealed class OrtGraph : IDisposable
{
    private readonly InferenceSession _session;

    public OrtGraph(ModelProto model)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(OnnxModelFile.ToBytes(model), options);
    }

    public float[] Run<T>(string input, T[] data, long[] shape, string output) where T : unmanaged
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        using var outputs = _session.Run(runOptions, [input], [value], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();
}
