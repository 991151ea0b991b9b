using EdgeVision.Onnx;
using EdgeVision.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Onnx.Tests.Support;

/// <summary>One ORT session over an in-memory model, fed and read with plain arrays.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OrtRunner(ModelProto model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        _session = new InferenceSession(OnnxModelFile.ToBytes(model), options);
    }

    public InferenceSession Session => _session;

    public float[] Run(string inputName, byte[] data, long[] shape, string outputName) =>
        Run(OrtValue.CreateTensorValueFromMemory(data, shape), inputName, outputName);

    public float[] Run(string inputName, float[] data, long[] shape, string outputName) =>
        Run(OrtValue.CreateTensorValueFromMemory(data, shape), inputName, outputName);

    private float[] Run(OrtValue input, string inputName, string outputName)
    {
        using (input)
        using (var runOptions = new RunOptions())
        using (var outputs = _session.Run(runOptions, [inputName], [input], [outputName]))
        {
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
    }

    public void Dispose() => _session.Dispose();
}
