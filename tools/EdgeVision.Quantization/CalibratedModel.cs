using EdgeVision.Core.Model;
using EdgeVision.Data;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeVision.Quantization;

/// <summary>
/// Calibrated statistics of one float contract model, from which int8 models for any calibration method
/// are written without running the images again.
/// </summary>
public sealed class CalibratedModel
{
    private CalibratedModel(ContractModel source, ModelProto prepared, QdqPlan plan, IReadOnlyDictionary<string, TensorStatistics> statistics, int images, string dataset)
    {
        Source = source;
        Prepared = prepared;
        Plan = plan;
        Statistics = statistics;
        Images = images;
        Dataset = dataset;
    }

    public ContractModel Source { get; }

    /// <summary>The float model after ORT's basic rewrites (BN folded), the one the QDQ pairs are placed in.</summary>
    public ModelProto Prepared { get; }

    public QdqPlan Plan { get; }
    public IReadOnlyDictionary<string, TensorStatistics> Statistics { get; }
    public int Images { get; }
    public string Dataset { get; }

    public static CalibratedModel Calibrate(
        ContractModel model, IImageDataset data, QuantizationSettings settings,
        ILogger? logger = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        logger ??= NullLogger.Instance;
        if (model.Metadata.Precision != Precision.Fp32)
            throw new ModelContractException($"{model.Source} is already {model.Metadata.Precision.ToString().ToLowerInvariant()}; quantize the fp32 model");
        if (data.Count == 0) throw new InvalidDataException($"the calibration set '{data.Name}' is empty");

        var prepared = ModelProto.Parser.ParseFrom(OrtSessions.OptimizeBasic(model.Model.ToByteArray()));
        // ORT writes the optimized graph; the contract's metadata is carried over unchanged.
        prepared.MetadataProps.Clear();
        prepared.MetadataProps.AddRange(model.Model.MetadataProps.Select(p => p.Clone()));
        var plan = QdqPlan.Create(prepared);
        int[] indices = DatasetSource.EvenSample(data.Count, settings.CalibrationSize);
        logger.LogInformation("Calibrating {Tensors} activations of {Model} on {Images} images of {Dataset}",
            plan.Activations.Count, model.Source, indices.Length, data.Name);
        var stats = ActivationCalibrator.Collect(model, prepared, plan.Activations, data, indices, settings.Batch, progress, cancellationToken);
        return new CalibratedModel(model, prepared, plan, stats, indices.Length, data.Name);
    }

    /// <summary>The QDQ int8 contract model for <paramref name="settings"/>' method (accuracy not yet measured).</summary>
    public ModelProto ToInt8(QuantizationSettings settings)
    {
        settings.Validate();
        // Graph order: an input's parameters exist before an output that shares them.
        var parameters = new Dictionary<string, QuantizationParameters>(StringComparer.Ordinal);
        foreach (string t in Plan.Activations)
        {
            parameters[t] = Plan.SharedParameters.TryGetValue(t, out var source) && parameters.TryGetValue(source, out var p)
                ? p
                : Plan.DirectImage is { } direct && t == Plan.ImageTensor
                    ? direct.Parameters
                    : ActivationRange.From(Statistics[t], MethodFor(t, settings.Method), settings.Percentile).ToUint8();
        }
        var quantized = QdqRewriter.Apply(Prepared, Plan, parameters);
        var metadata = Source.Metadata with
        {
            Precision = Precision.Int8,
            Calibration = settings.Describe(Images, Dataset),
            Top1 = null,
            Top5 = null,
        };
        return ContractModel.WithMetadata(quantized, metadata);
    }

    /// <summary>The method that sets <paramref name="tensor"/>'s range: the image is never clipped (<see cref="QdqPlan.ImageTensor"/>).</summary>
    public CalibrationMethod MethodFor(string tensor, CalibrationMethod method) =>
        string.Equals(tensor, Plan.ImageTensor, StringComparison.Ordinal) ? CalibrationMethod.MinMax : method;
}
