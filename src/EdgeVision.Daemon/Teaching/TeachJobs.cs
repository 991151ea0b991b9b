using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using EdgeVision.Core.IO;
using EdgeVision.Core.Model;
using EdgeVision.Daemon.Dataset;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Options;
using EdgeVision.Daemon.Streaming;
using EdgeVision.Inference;
using EdgeVision.Onnx.Pretrained;
using EdgeVision.Teaching;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Teaching;

/// <summary>
/// The daemon's teach job, one at a time: captures under the dataset root → <see cref="Teacher"/> (frozen backbone,
/// softmax head) on its own thread at a lower priority with a bounded ONNX Runtime thread count → a model under the
/// taught directory → validated, warmed up and swapped in through <see cref="ModelHost"/> (a model that fails to
/// load is removed and the old one keeps serving). Progress goes out as <c>teach</c> events on /api/events.
/// </summary>
public sealed class TeachJobs : IHostedService, IDisposable
{
    public const string EventType = "teach";
    private static readonly TimeSpan SwapWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ModelHost _models;
    private readonly StreamHub _hub;
    private readonly LabelledFrameWriter _captures;
    private readonly TeachOptions _options;
    private readonly InferenceOptions _inference;
    private readonly ILogger<TeachJobs> _logger;
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, TeachJobStatus> _jobs = new(StringComparer.Ordinal);
    private readonly BlockingCollection<Action> _loaderWork = [];
    private Thread? _loader;
    private Job? _running;
    private string? _latestId;

    public TeachJobs(ModelHost models, StreamHub hub, LabelledFrameWriter captures, IOptions<TeachOptions> options,
        IOptions<InferenceOptions> inference, ILogger<TeachJobs> logger)
    {
        _models = models;
        _hub = hub;
        _captures = captures;
        _options = options.Value;
        _inference = inference.Value;
        _logger = logger;
        Directory = _options.ResolveDirectory();
        CacheDirectory = _options.ResolveCacheDirectory();
    }

    /// <summary>Where taught models are written (the catalog's <c>taught/</c> entries).</summary>
    public string Directory { get; }
    public string CacheDirectory { get; }
    public string DatasetRoot => _captures.Root;

    /// <summary>The running job, else the last one; null before the first.</summary>
    public TeachJobStatus? Latest => _latestId is { } id && _jobs.TryGetValue(id, out var s) ? s : null;

    public TeachJobStatus? Get(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>
    /// Starts a job on <paramref name="labels"/> (null or empty: every captured label). Refused, with the reason and
    /// an HTTP status, when one is running (409), the name is bad (400) or taken (409), or the captures cannot be
    /// taught from (422: missing root, one label, too few images).
    /// </summary>
    public (TeachJobStatus? Job, int Status, string? Error) Start(IReadOnlyList<string>? labels, string? name)
    {
        if (name is not null && TeachNames.Problem(name) is { } bad) return (null, StatusCodes.Status400BadRequest, bad);
        foreach (string label in labels ?? [])
        {
            if (LabelRules.Problem(label) is { } problem) return (null, StatusCodes.Status400BadRequest, $"label '{label}': {problem}");
        }
        CaptureSet set;
        try
        {
            set = CaptureSet.Scan(_captures.Root, labels);
            Teacher.EnsureTeachable(set);
        }
        catch (TeachingException e)
        {
            return (null, StatusCodes.Status422UnprocessableEntity, e.Message);
        }
        lock (_gate)
        {
            if (_running is { } busy)
                return (null, StatusCodes.Status409Conflict, $"teach job {busy.Id} is still running; wait for it or cancel it (DELETE /api/teach/{busy.Id})");
            string file = TeachNames.FileName(name ?? TeachNames.Fresh(Directory, DateTimeOffset.UtcNow));
            string path = Path.Combine(Directory, file);
            if (File.Exists(path)) return (null, StatusCodes.Status409Conflict, $"a taught model named '{TeachNames.CatalogPrefix}{file}' exists; choose another name");

            var job = new Job(Guid.NewGuid().ToString("N")[..12], set.Labels, path);
            job.Status = new TeachJobStatus
            {
                Id = job.Id, State = TeachJobStatus.Running, Phase = "queued", Labels = set.Labels, StartedAt = DateTimeOffset.UtcNow,
                Images = set.Files.Count,
            };
            _running = job;
            _jobs[job.Id] = job.Status;
            _latestId = job.Id;
            job.Thread = new Thread(() => Run(job)) { IsBackground = true, Name = "teach" };
            job.Thread.Start();
            _logger.LogInformation("Teach job {Job} started on {Labels} ({Images} captures) → {Path}", job.Id, string.Join(", ", set.Labels), set.Files.Count, path);
            Publish(job.Status);
            return (job.Status, StatusCodes.Status202Accepted, null);
        }
    }

    /// <summary>Cancels job <paramref name="id"/>; false when it is unknown or already finished.</summary>
    public bool Cancel(string id)
    {
        lock (_gate)
        {
            if (_running is not { } job || job.Id != id) return false;
            job.Cancel.Cancel();
            return true;
        }
    }

    private void Run(Job job)
    {
        if (!ThreadNice.TrySet(_options.Nice, out int errno) && _options.Nice > 0)
            _logger.LogWarning("Teach job {Job}: could not lower its priority to nice {Nice} (errno {Errno}); it runs at normal priority", job.Id, _options.Nice, errno);
        var watch = Stopwatch.StartNew();
        var token = job.Cancel.Token;
        try
        {
            var backbone = PretrainedBackbones.Load(PretrainedBackbones.ImageNet);
            var options = _inference.ForBatch(_options.BatchSize);
            options.IntraOpThreads = _options.Threads;
            options.InterOpThreads = 1;
            options.WarmUp = false;
            var teacher = new Teacher(backbone, options, _logger);
            var request = new TeachRequest
            {
                DatasetRoot = _captures.Root,
                Labels = job.Labels,
                OutputPath = job.Path,
                CacheDirectory = CacheDirectory,
                Seed = _options.Seed,
                HoldOutFraction = _options.HoldOutFraction,
                L2 = _options.L2,
            };
            var result = teacher.Teach(request, p => Update(job, s => s with
            {
                Phase = p.Phase, Images = p.Images, Embedded = p.Embedded, ToEmbed = p.ToEmbed, Cached = p.Cached, Skipped = p.Skipped,
                Accuracy = p.Accuracy, ElapsedSeconds = watch.Elapsed.TotalSeconds,
            }), token);
            string catalogName = TeachNames.CatalogPrefix + Path.GetFileName(job.Path);
            Update(job, s => s with
            {
                Phase = "loading", Model = catalogName, Accuracy = result.HoldOutAccuracy, FitImages = result.FitImages, HoldOutImages = result.HoldOutImages,
                ImagesPerLabel = result.ImagesPerLabel, Provider = result.Provider, Skipped = result.Skipped.Count, ElapsedSeconds = watch.Elapsed.TotalSeconds,
            });
            bool active = false;
            if (_options.Activate)
            {
                // Past this point the job finishes: a model staged for the loop must not lose its file to a late cancel.
                token.ThrowIfCancellationRequested();
                string? error = Stage(job.Path);
                if (error is not null)
                {
                    TryDelete(job.Path);
                    throw new TeachingException($"the taught model was rejected and removed, the previous model keeps serving: {error}");
                }
                active = _models.Active is { } now && string.Equals(Path.GetFullPath(now.Path), Path.GetFullPath(job.Path), StringComparison.Ordinal);
            }
            Finish(job, s => s with
            {
                State = TeachJobStatus.Completed, Phase = "done", Active = active, ElapsedSeconds = watch.Elapsed.TotalSeconds, CpuSeconds = ThreadNice.CpuSeconds(),
            });
            _logger.LogInformation("Teach job {Job} done in {Seconds:F1} s: {Model}, hold-out top-1 {Accuracy:P1}{Active}",
                job.Id, watch.Elapsed.TotalSeconds, catalogName, result.HoldOutAccuracy, active ? ", now serving" : "");
        }
        catch (OperationCanceledException)
        {
            TryDelete(job.Path);
            Finish(job, s => s with { State = TeachJobStatus.Cancelled, Error = "cancelled", ElapsedSeconds = watch.Elapsed.TotalSeconds });
            _logger.LogInformation("Teach job {Job} cancelled after {Seconds:F1} s; nothing was written", job.Id, watch.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (e is TeachingException or ModelContractException or ModelLoadException or IOException or UnauthorizedAccessException)
        {
            Finish(job, s => s with { State = TeachJobStatus.Failed, Error = e.Message, ElapsedSeconds = watch.Elapsed.TotalSeconds });
            _logger.LogError("Teach job {Job} failed, the serving model is unchanged: {Error}", job.Id, e.Message);
        }
        catch (Exception e)
        {
            // The top of the job's own thread: anything unexpected fails the job, never the daemon.
            TryDelete(job.Path);
            Finish(job, s => s with { State = TeachJobStatus.Failed, Error = $"{e.GetType().Name}: {e.Message}", ElapsedSeconds = watch.Elapsed.TotalSeconds });
            _logger.LogError(e, "Teach job {Job} failed unexpectedly, the serving model is unchanged", job.Id);
        }
    }

    /// <summary>
    /// Validates and swaps the model in. Done on the loader thread, at normal priority: the serving session's
    /// ONNX Runtime threads are created here and would inherit the job thread's nice value.
    /// </summary>
    private string? Stage(string path)
    {
        var staged = new TaskCompletionSource<(string? Error, Task Swapped)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _loaderWork.Add(() =>
        {
            try
            {
                string? error = _models.TryStage(path, out var swapped);
                staged.TrySetResult((error, swapped));
            }
            catch (Exception e)
            {
                staged.TrySetException(e);
            }
        });
        var (loadError, swap) = staged.Task.GetAwaiter().GetResult();
        if (loadError is not null) return loadError;
        try
        {
            // The loop swaps between ticks; a paused loop swaps on its next one, which is not a failure.
            swap.Wait(SwapWait);
        }
        catch (AggregateException) when (swap.IsCanceled)
        {
            return "superseded by another model switch";
        }
        return null;
    }

    private void Update(Job job, Func<TeachJobStatus, TeachJobStatus> change)
    {
        TeachJobStatus status;
        lock (_gate)
        {
            status = job.Status = change(job.Status);
            _jobs[job.Id] = status;
        }
        Publish(status);
    }

    private void Finish(Job job, Func<TeachJobStatus, TeachJobStatus> change)
    {
        lock (_gate)
        {
            job.Status = change(job.Status);
            _jobs[job.Id] = job.Status;
            if (ReferenceEquals(_running, job)) _running = null;
        }
        Publish(job.Status);
        job.Cancel.Dispose();
    }

    private void Publish(TeachJobStatus status) => _hub.PublishEvent(EventType, JsonSerializer.SerializeToUtf8Bytes(status, Json));

    private void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException e) { _logger.LogWarning("Could not remove {Path}: {Error}", path, e.Message); }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A job cut off by a crash or power loss leaves at most a hidden temporary file: never a model, and removed here.
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (string stale in System.IO.Directory.EnumerateFiles(Directory, ".*" + AtomicFile.TemporaryExtension)) TryDelete(stale);
        }
        _loader = new Thread(() =>
        {
            foreach (var work in _loaderWork.GetConsumingEnumerable()) work();
        }) { IsBackground = true, Name = "teach-loader" };
        _loader.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Job? job;
        lock (_gate) job = _running;
        if (job is not null)
        {
            _logger.LogInformation("Stopping: cancelling teach job {Job}", job.Id);
            try { job.Cancel.Cancel(); } catch (ObjectDisposedException) { }
            job.Thread?.Join(StopWait);
        }
        _loaderWork.CompleteAdding();
        return Task.CompletedTask;
    }

    public void Dispose() => _loaderWork.Dispose();

    private sealed class Job(string id, IReadOnlyList<string> labels, string path)
    {
        public string Id { get; } = id;
        public IReadOnlyList<string> Labels { get; } = labels;
        public string Path { get; } = path;
        public CancellationTokenSource Cancel { get; } = new();
        public TeachJobStatus Status { get; set; } = null!;
        public Thread? Thread { get; set; }
    }
}
