using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Options;
using EdgeVision.Inference;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Models;

/// <summary>
/// Owns the serving <see cref="Classifier"/> and the swap to a new one. A new model is loaded, validated and
/// warmed up on the caller's thread (never the loop's); the frame loop takes it between ticks with
/// <see cref="TakeForTick"/> and disposes the old one itself, so no run ever sees a model disposed under it.
/// A model that fails to load changes nothing but the failure count (edgevision_model_reloads_total, counted here
/// where the swap happens, so the metric moves with the event).
/// </summary>
public sealed class ModelHost : IDisposable
{
    private readonly InferenceOptions _inference;
    private readonly DaemonMetrics _metrics;
    private readonly ILogger<ModelHost> _logger;
    private readonly object _gate = new();
    private readonly string _taughtDirectory;
    private Classifier? _current;
    private Classifier? _pending;
    private TaskCompletionSource? _pendingTaken;
    private volatile ActiveModel? _active;
    private bool _disposed;

    public ModelHost(IOptions<InferenceOptions> inference, IOptions<FrameLoopOptions> loop, IOptions<TeachOptions> teach, DaemonMetrics metrics,
        ILogger<ModelHost> logger)
    {
        _metrics = metrics;
        _logger = logger;
        _taughtDirectory = teach.Value.ResolveDirectory();
        // The batch buffer is sized for the frame loop's batch (FrameLoop:MaxBatch is the daemon's one knob), and a
        // model is always warmed up on the side before it is swapped in.
        _inference = inference.Value.ForBatch(loop.Value.MaxBatch);
        _inference.WarmUp = true;
    }

    public ActiveModel? Active => _active;

    /// <summary>The size cap every model file is checked against before a byte is read (Inference:MaxModelBytes).</summary>
    public long MaxModelBytes => _inference.MaxModelBytes;

    /// <summary>Loads the first model; a failure here stops the daemon with the reason.</summary>
    public void LoadInitial(string path)
    {
        var classifier = Classifier.Load(path, _inference, _logger);
        lock (_gate) _current = classifier;
        _active = Describe(classifier);
    }

    /// <summary>
    /// Loads <paramref name="path"/> on the side and queues it for the next tick. Returns the load error, or
    /// null once queued; <paramref name="swapped"/> completes when the loop has taken it.
    /// </summary>
    public string? TryStage(string path, out Task swapped)
    {
        swapped = Task.CompletedTask;
        if (ModelLinks.Escape(path) is { } escape)
        {
            // Switches, hot reloads and taught models all come through here, so no path around the rule exists.
            _metrics.ModelReloaded(succeeded: false);
            _logger.LogError("Model {Model} rejected, the current model keeps serving: {Reason}", path, escape);
            return escape;
        }
        Classifier classifier;
        try
        {
            classifier = Classifier.Load(path, _inference, _logger);
        }
        catch (ModelLoadException e)
        {
            _metrics.ModelReloaded(succeeded: false);
            _logger.LogError("Model {Model} rejected, the current model keeps serving: {Reason}", e.ModelPath, e.Reason);
            return e.Reason;
        }
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_disposed)
            {
                // The daemon stopped while this one loaded (a reload is not waited for at shutdown).
                classifier.Dispose();
                return "the daemon is stopping";
            }
            _pending?.Dispose();
            _pendingTaken?.TrySetCanceled();
            _pending = classifier;
            _pendingTaken = taken;
        }
        swapped = taken.Task;
        return null;
    }

    /// <summary>
    /// Called by the frame loop at the start of every tick: swaps in a staged model (disposing the old one,
    /// which only the loop uses) and returns the classifier to use for this tick.
    /// </summary>
    public Classifier TakeForTick()
    {
        Classifier? old = null;
        TaskCompletionSource? taken = null;
        Classifier current;
        lock (_gate)
        {
            if (_pending is not null)
            {
                old = _current;
                _current = _pending;
                taken = _pendingTaken;
                _pending = null;
                _pendingTaken = null;
            }
            current = _current ?? throw new InvalidOperationException("no model is loaded");
        }
        if (taken is not null)
        {
            old?.Dispose();
            _active = Describe(current);
            _metrics.ModelReloaded(succeeded: true);
            _logger.LogInformation("Model {Model} now serving ({Classes} classes on {Provider})", current.ModelPath, current.ClassCount, current.Provider);
            taken.TrySetResult();
        }
        return current;
    }

    /// <summary>Cancels an in-flight run (shutdown).</summary>
    public void Terminate()
    {
        lock (_gate) _current?.Terminate();
    }

    /// <summary>Named as the catalog names it: a taught model as <c>taught/&lt;file&gt;</c>.</summary>
    private ActiveModel Describe(Classifier c)
    {
        bool taught = string.Equals(Path.GetDirectoryName(Path.GetFullPath(c.ModelPath)), _taughtDirectory, StringComparison.Ordinal);
        string name = (taught ? Teaching.TeachNames.CatalogPrefix : "") + Path.GetFileName(c.ModelPath);
        return new(name, c.ModelPath, c.Metadata, c.Provider, c.ClassCount);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending?.Dispose();
            _pendingTaken?.TrySetCanceled();
            _current?.Dispose();
            _pending = null;
            _current = null;
        }
    }
}
