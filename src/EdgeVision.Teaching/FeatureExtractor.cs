using EdgeVision.Core.Model;
using EdgeVision.Inference;
using EdgeVision.Onnx;
using EdgeVision.Onnx.Pretrained;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace EdgeVision.Teaching;

/// <summary>
/// The frozen backbone in ONNX Runtime, through the same session factory and execution-provider chain as inference
/// (on the GPU where there is one). Images are resized into the same pinned uint8 batch buffer the daemon infers
/// from (stretch, as the taught model's metadata says), so the features learned from are the features served.
/// One thread drives <see cref="Embed"/>; <see cref="Terminate"/> may come from any thread.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly SessionFactory.Result _session;
    private readonly BatchBuffer _buffer;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames = [ModelContract.InputName];
    private readonly string[] _outputNames = [BackboneFeatureModel.FeaturesName];

    /// <param name="options">Provider chain and threads; <see cref="InferenceOptions.MaxBatch"/> is the embedding batch.</param>
    public FeatureExtractor(PretrainedBackbone backbone, InferenceOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateOrThrow();
        FeatureCount = backbone.FeatureCount;
        byte[] model = OnnxModelFile.ToBytes(BackboneFeatureModel.Build(backbone));
        _session = SessionFactory.Create(model, options, logger);
        try
        {
            _buffer = new BatchBuffer(options.MaxBatch, backbone.InputHeight, backbone.InputWidth, ResizePolicy.Stretch);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public int FeatureCount { get; }
    public int BatchSize => _buffer.Capacity;
    public string Provider => _session.Provider;

    /// <summary>Features of up to <see cref="BatchSize"/> BGR (or grey/BGRA) images, row-major [images.Count × FeatureCount].</summary>
    public float[] Embed(IReadOnlyList<Mat> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count < 1 || images.Count > BatchSize)
            throw new ArgumentOutOfRangeException(nameof(images), images.Count, $"a batch holds 1..{BatchSize} images");
        cancellationToken.ThrowIfCancellationRequested();
        for (int i = 0; i < images.Count; i++) _buffer.Write(i, images[i]);
        using var registration = cancellationToken.UnsafeRegister(static s => ((FeatureExtractor)s!).Terminate(), this);
        try
        {
            using var outputs = _session.Session.Run(_runOptions, _inputNames, [_buffer.Input(images.Count)], _outputNames);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException e) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("embedding was cancelled", e, cancellationToken);
        }
    }

    /// <summary>Stops the run in flight; the extractor is not used after that.</summary>
    public void Terminate() => _runOptions.Terminate = true;

    public void Dispose()
    {
        _runOptions.Dispose();
        _buffer.Dispose();
        _session.Dispose();
    }
}
