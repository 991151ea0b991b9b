namespace EdgeVision.Core.Architecture;

/// <summary>A dense float32 tensor, row-major, as it crosses between training, export and tests.</summary>
public sealed class TensorData
{
    public TensorData(float[] data, params int[] shape)
    {
        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {count} values, data has {data.Length}");
        Data = data;
        Shape = shape;
    }

    public float[] Data { get; }
    public int[] Shape { get; }
}

/// <summary>
/// Weights by parameter name (torchvision-style names from <see cref="ResNetPlan"/>, BatchNorm running
/// statistics included). Random initialization and trained checkpoints both feed the ONNX emitter
/// through this one interface.
/// </summary>
public interface IWeightSource
{
    /// <summary>The tensor called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/> naming it when absent.</summary>
    TensorData Get(string name);
}

/// <summary>Weights held in a dictionary (a loaded checkpoint, a test fixture).</summary>
public sealed class DictionaryWeightSource(IReadOnlyDictionary<string, TensorData> tensors) : IWeightSource
{
    public TensorData Get(string name) =>
        tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"weight '{name}' is missing");
}
