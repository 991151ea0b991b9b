using EdgeVision.Data;
using EdgeVision.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization;

/// <summary>
/// Runs the float model in ONNX Runtime over calibration images with the tensors to quantize exposed as
/// extra graph outputs, and accumulates their <see cref="TensorStatistics"/>. Images go through in the
/// given order in fixed-size batches, so the same images give the same statistics.
/// </summary>
public static class ActivationCalibrator
{
    public const int DefaultBatch = 16;

    public static IReadOnlyDictionary<string, TensorStatistics> Collect(
        ContractModel model,
        ModelProto prepared,
        IReadOnlyList<string> tensors,
        IImageDataset data,
        IReadOnlyList<int> indices,
        int batch = DefaultBatch,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(data);
        if (indices.Count == 0) throw new InvalidDataException($"the calibration set '{data.Name}' is empty");
        if (tensors.Count == 0) throw new InvalidDataException("the model has no tensor to calibrate");

        var observed = prepared.Clone();
        var outputs = observed.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string t in tensors)
            if (outputs.Add(t)) observed.Graph.Output.Add(OnnxTensors.TensorValue(t, TensorProto.Types.DataType.Float));

        var stats = tensors.ToDictionary(t => t, t => new TensorStatistics(t), StringComparer.Ordinal);
        // Basic optimization only: the exposed tensors must survive exactly as the QDQ rewrite names them.
        using var session = OrtSessions.Create(Google.Protobuf.MessageExtensions.ToByteArray(observed), GraphOptimizationLevel.ORT_ENABLE_BASIC);
        using var feeder = new BatchFeeder(batch, model.Signature.Height, model.Signature.Width, model.Metadata.Resize);
        using var runOptions = new RunOptions();
        var names = tensors.ToArray();
        var slice = new int[batch];
        for (int start = 0; start < indices.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batch, indices.Count - start);
            for (int i = 0; i < n; i++) slice[i] = indices[start + i];
            feeder.Fill(data, slice.AsSpan(0, n));
            using var input = feeder.Tensor(n);
            using var results = session.Run(runOptions, [Core.Model.ModelContract.InputName], [input], names);
            for (int k = 0; k < names.Length; k++) stats[names[k]].Add(results[k].GetTensorDataAsSpan<float>());
            progress?.Report(start + n);
        }
        return stats;
    }
}
