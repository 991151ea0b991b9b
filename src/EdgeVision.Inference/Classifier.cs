using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using ModelMetadata = EdgeVision.Core.Model.ModelMetadata;

namespace EdgeVision.Inference;

/// <summary>
/// A loaded contract model ready to classify batches of frames: frames go into slots with
/// <see cref="SetFrame"/>, <see cref="Run"/> infers slots 0..n-1. After warm-up neither allocates
/// managed memory. One thread drives SetFrame/Run; <see cref="Terminate"/> may come from any thread.
/// </summary>
public sealed class Classifier : IDisposable
{
    private readonly SessionFactory.Result _sessionOwner;
    private readonly InferenceSession _session;
    private readonly BatchBuffer _buffer;
    private readonly BatchBinding _binding;
    private readonly object _runOptionsGate = new();
    private RunOptions _runOptions;
    private bool _disposed;

    private Classifier(string path, ModelMetadata metadata, ContractGraph graph, SessionFactory.Result session,
        BatchBuffer buffer, BatchBinding binding, RunOptions runOptions)
    {
        ModelPath = path;
        Metadata = metadata;
        _sessionOwner = session;
        _session = session.Session;
        Provider = session.Provider;
        ProviderAttempts = session.Attempts;
        TensorRtCache = session.TensorRtCache;
        _buffer = buffer;
        _binding = binding;
        _runOptions = runOptions;
        ClassCount = graph.Classes;
        InputWidth = graph.Width;
        InputHeight = graph.Height;
        MaxBatch = buffer.Capacity;
    }

    public ModelMetadata Metadata { get; }
    public string ModelPath { get; }

    /// <summary>The execution provider that runs the model: "TensorRT", "CUDA" or "CPU".</summary>
    public string Provider { get; }

    /// <summary>Every provider tried, in order, with the reason each one that failed was skipped.</summary>
    public IReadOnlyList<ProviderAttempt> ProviderAttempts { get; }

    /// <summary>The TensorRT engine/timing cache directories this session was given (null: no cache configured).</summary>
    public TensorRtEngineCache.Location? TensorRtCache { get; }

    public int ClassCount { get; }
    public int MaxBatch { get; }
    public int InputWidth { get; }
    public int InputHeight { get; }
    public IReadOnlyList<string> Labels => Metadata.Labels;

    /// <summary>
    /// Reads, validates and opens <paramref name="modelPath"/>. Any failure is a <see cref="ModelLoadException"/>
    /// naming the file and the reason, with everything created so far disposed.
    /// </summary>
    public static Classifier Load(string modelPath, InferenceOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateOrThrow();
        return Load(ModelFile.Read(modelPath, options.MaxModelBytes), modelPath, modelFile: modelPath, options, logger);
    }

    /// <summary>
    /// Opens a model already in memory (a variant being quantized, never written yet) exactly as
    /// <see cref="Load(string, InferenceOptions, ILogger?)"/> opens a file; <paramref name="modelPath"/> names it in errors and logs.
    /// </summary>
    public static Classifier Load(byte[] bytes, string modelPath, InferenceOptions options, ILogger? logger = null) =>
        Load(bytes, modelPath, modelFile: null, options, logger);

    /// <param name="modelFile">The file the bytes came from (keys and prunes TensorRT's engine cache), null for an in-memory model.</param>
    private static Classifier Load(byte[] bytes, string modelPath, string? modelFile, InferenceOptions options, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateOrThrow();
        logger ??= NullLogger.Instance;

        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException(modelPath, $"not an ONNX model (protobuf parse failed: {e.Message})", e);
        }

        ContractGraph graph;
        ModelMetadata metadata;
        try
        {
            graph = ContractGraph.Inspect(model);
            var props = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in model.MetadataProps) props[p.Key] = p.Value;
            metadata = ModelMetadata.FromProperties(props, modelPath);
        }
        catch (ModelContractException e)
        {
            string reason = e.Message.StartsWith(modelPath + ": ", StringComparison.Ordinal) ? e.Message[(modelPath.Length + 2)..] : e.Message;
            throw new ModelLoadException(modelPath, reason, e);
        }
        if (metadata.InputHeight != graph.Height || metadata.InputWidth != graph.Width)
        {
            throw new ModelLoadException(modelPath,
                $"metadata says input {metadata.InputWidth}×{metadata.InputHeight} (W×H), the graph's input is {graph.Width}×{graph.Height}");
        }
        if (metadata.Labels.Count != graph.Classes)
        {
            throw new ModelLoadException(modelPath,
                $"metadata has {metadata.Labels.Count} labels, the model outputs {graph.Classes} classes");
        }
        int maxBatch = options.MaxBatch;
        if (graph.FixedBatch is { } fixedBatch)
        {
            if (fixedBatch != 1)
                throw new ModelLoadException(modelPath, $"the input's batch dimension is fixed at {fixedBatch}; the contract needs a dynamic N (re-export or `edgevision import` it)");
            maxBatch = 1;
            logger.LogWarning("Model {Model} has a fixed batch of 1; batching is off", modelPath);
        }

        SessionFactory.Result? session = null;
        BatchBuffer? buffer = null;
        BatchBinding? binding = null;
        RunOptions? runOptions = null;
        try
        {
            session = SessionFactory.Create(bytes, options, logger, modelFile);
            buffer = new BatchBuffer(maxBatch, graph.Height, graph.Width, metadata.Resize);
            binding = new BatchBinding(session.Session, buffer, graph.Classes);
            runOptions = new RunOptions();
            var classifier = new Classifier(modelPath, metadata, graph, session, buffer, binding, runOptions);
            if (options.WarmUp) session.Session.RunWithBinding(runOptions, binding.For(1));
            logger.LogInformation(
                "Loaded {Model} ({Architecture}, {Width}x{Height}, {Classes} classes, max batch {MaxBatch}) on {Provider}",
                modelPath, metadata.Architecture, graph.Width, graph.Height, graph.Classes, maxBatch, session.Provider);
            return classifier;
        }
        catch (Exception e) when (e is not ModelLoadException)
        {
            runOptions?.Dispose();
            binding?.Dispose();
            buffer?.Dispose();
            session?.Dispose();
            throw new ModelLoadException(modelPath, $"ONNX Runtime could not run the model: {e.Message}", e);
        }
    }

    /// <summary>
    /// Puts <paramref name="frame"/> (CV_8UC3 BGR, CV_8UC1 grey or CV_8UC4 BGRA, any size) into batch slot
    /// <paramref name="slot"/>, resized or centre-cropped per <see cref="ModelMetadata.Resize"/>.
    /// </summary>
    public void SetFrame(int slot, Mat frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _buffer.Write(slot, frame);
    }

    /// <summary>The Mat over slot <paramref name="slot"/> (owned by the classifier), for drawing or inspection.</summary>
    public Mat Slot(int slot) => _buffer.Slot(slot);

    /// <summary>
    /// Infers slots 0..<paramref name="count"/>-1 and returns their probabilities, row-major
    /// [count × ClassCount]; the span is valid until the next Run.
    /// </summary>
    public ReadOnlySpan<float> Run(int count, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var binding = _binding.For(count);
        cancellationToken.ThrowIfCancellationRequested();
        RunOptions runOptions;
        lock (_runOptionsGate) runOptions = _runOptions;
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static s => ((Classifier)s!).Terminate(), this)
            : default;
        try
        {
            _session.RunWithBinding(runOptions, binding);
        }
        catch (OnnxRuntimeException e) when (runOptions.Terminate)
        {
            RenewRunOptions(runOptions);
            cancellationToken.ThrowIfCancellationRequested();
            throw new OperationCanceledException("the inference run was terminated", e);
        }
        finally
        {
            registration.Dispose();
        }
        if (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while the last node ran: the run finished, but the caller asked to stop; the
            // terminate flag it set must not cancel the next run.
            if (runOptions.Terminate) RenewRunOptions(runOptions);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return _binding.Probabilities(count);
    }

    /// <summary>
    /// Cancels the run in flight (RunOptions.Terminate), or the next one if none is: on shutdown no
    /// run may slip through. The run after a terminated one proceeds normally.
    /// </summary>
    public void Terminate()
    {
        lock (_runOptionsGate)
        {
            if (!_disposed) _runOptions.Terminate = true;
        }
    }

    private void RenewRunOptions(RunOptions terminated)
    {
        lock (_runOptionsGate)
        {
            if (!ReferenceEquals(_runOptions, terminated)) return;
            _runOptions = new RunOptions();
            terminated.Dispose();
        }
    }

    public void Dispose()
    {
        lock (_runOptionsGate)
        {
            if (_disposed) return;
            _disposed = true;
            _runOptions.Dispose();
        }
        _binding.Dispose();
        _buffer.Dispose();
        _sessionOwner.Dispose();
    }
}
