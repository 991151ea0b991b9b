using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Options;
using EdgeVision.Inference;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The game loop of the daemon, one tick at a time: gather the newest frame of every source
/// (<see cref="BatchGatherer"/>), run the model on them as one batch (<see cref="BatchInference"/>), smooth
/// each source's prediction (<see cref="PredictionSmoother"/>), and hand the frames due to be shown
/// (<see cref="ViewPacer"/>) to the view stage (<see cref="EncodeStage"/>: HUD, JPEG once, sinks), which runs on
/// its own thread while the next batch is inferred. Like a game's render rate the view is paced
/// (FrameLoop:MaxViewFps); inference and smoothing see every frame. Nothing here allocates per frame once running.
/// </summary>
public sealed class FrameLoopService(
    CaptureSources feeds,
    ModelHost models,
    HudToggles hud,
    FlowMonitor flow,
    LoopControl control,
    LatestRawFrames rawFrames,
    IEnumerable<IAnnotatedFrameSink> sinks,
    DaemonMetrics metrics,
    IOptions<FrameLoopOptions> loopOptions,
    IOptions<ModelOptions> modelOptions,
    IOptions<TeachOptions> teachOptions,
    IHostEnvironment environment,
    ILogger<FrameLoopService> logger) : BackgroundService
{
    private readonly FrameLoopOptions _options = loopOptions.Value;
    private readonly BatchInference _inference = new(flow, metrics);
    private BatchGatherer? _gatherer;
    private EncodeStage? _stage;
    private Classifier? _lastClassifier;

    /// <summary>The view stage (null before start): the benchmark reads its counters.</summary>
    public EncodeStage? Stage => _stage;

    /// <summary>Managed bytes the loop thread has allocated since it started (for the allocation benchmark).</summary>
    public ThreadAllocations LoopThreadAllocations { get; } = new();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        string path = ModelPaths.ResolveServing(modelOptions.Value.Path, teachOptions.Value.ResolveDirectory(), environment.ContentRootPath);
        models.LoadInitial(path);
        _gatherer = new BatchGatherer(feeds, _options, metrics);
        _stage = new EncodeStage(feeds.Names, _options.TopK, _options.JpegQuality, hud, rawFrames, sinks.ToList(), logger);
        metrics.ReadSourceHealthFrom(() => [.. feeds.Runners.Select(r => r.GetStats())]);
        foreach (var r in feeds.Runners) r.Start();
        logger.LogInformation("Frame loop: {Sources} source(s) [{Names}], batch ≤ {MaxBatch}, {Pace}",
            _gatherer.SourceCount, string.Join(", ", feeds.Names), _options.MaxBatch,
            _options.TargetFps > 0 ? $"{_options.TargetFps} fps" : "free-running");
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        models.Terminate();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        _stage?.Dispose();
        feeds.Dispose();
        _gatherer?.Dispose();
        logger.LogInformation("Frame loop stopped; sources released");
    }

    private void Run(CancellationToken ct)
    {
        var gatherer = _gatherer!;
        var stage = _stage!;
        var ticks = new TickPacer(_options.TargetFps);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                LoopThreadAllocations.Sample();
                ticks.WaitForTick(ct);
                if (control.Paused)
                {
                    ct.WaitHandle.WaitOne(20);
                    continue;
                }
                var classifier = TakeModel();
                var model = models.Active!.Summary;

                var frames = gatherer.Gather(Math.Min(_options.MaxBatch, classifier.MaxBatch), ct);
                foreach (var lane in frames.NoSignal)
                {
                    lane.ReportNoSignal(model);
                    lane.HandTo(stage);
                }
                if (frames.Batch.IsEmpty) continue;

                var inferred = _inference.Run(classifier, frames.Batch, ct);

                long now = System.Diagnostics.Stopwatch.GetTimestamp();
                for (int slot = 0; slot < frames.Batch.Length; slot++)
                {
                    var lane = frames.Batch[slot];
                    lane.Smoother.Update(inferred.ProbabilitiesOf(slot), lane.Stamp.CapturedAt);
                    if (!lane.View.ShouldShow(now)) continue;
                    metrics.FrameShown(lane.Runner.Name);
                    lane.ReportInferred(model, inferred.Timing);
                    lane.HandTo(stage);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>The model for this tick (a staged swap takes effect here, between ticks); a new one is announced to metrics.</summary>
    private Classifier TakeModel()
    {
        var classifier = models.TakeForTick();
        if (!ReferenceEquals(classifier, _lastClassifier))
        {
            _lastClassifier = classifier;
            metrics.SetModel(classifier.Provider, Path.GetFileName(classifier.ModelPath), models.Active!.PrecisionName);
        }
        return classifier;
    }
}
