using System.Diagnostics;
using EdgeVision.Capture;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Options;
using EdgeVision.Inference;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// The game loop of the daemon: take the newest frame of every source, infer them as one batch, smooth,
/// then hand each frame to the encode stage (HUD, JPEG once, publish) which runs on its own thread while
/// the next batch is inferred. Like a game's render rate, the view is paced (FrameLoop:MaxViewFps, see
/// <see cref="ViewPacer"/>); inference and smoothing see every frame. Nothing here allocates per frame once running.
/// </summary>
public sealed class FrameLoopService(
    FeedSet feeds,
    ModelHost models,
    HudToggles hud,
    FlowMonitor flow,
    LoopControl control,
    IEnumerable<IAnnotatedFrameSink> sinks,
    DaemonMetrics metrics,
    IOptions<FrameLoopOptions> loopOptions,
    IOptions<ModelOptions> modelOptions,
    IOptions<TeachOptions> teachOptions,
    IHostEnvironment environment,
    ILogger<FrameLoopService> logger) : BackgroundService
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);
    private readonly FrameLoopOptions _options = loopOptions.Value;
    private Lane[] _lanes = [];
    private Classifier? _lastClassifier;
    private long _loopAllocated;
    private EncodeStage? _stage;

    public EncodeStage? Stage => _stage;

    /// <summary>Managed bytes the loop thread has allocated since it started (for the allocation benchmark).</summary>
    public long LoopThreadAllocatedBytes => Volatile.Read(ref _loopAllocated);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        string path = ModelPaths.ResolveServing(modelOptions.Value.Path, teachOptions.Value.ResolveDirectory(), environment.ContentRootPath);
        models.LoadInitial(path);
        _lanes = feeds.Runners.Select((r, i) => new Lane(r, i, _options)).ToArray();
        _stage = new EncodeStage(feeds.Names, _options.TopK, _options.JpegQuality, hud, sinks.ToList(), logger);
        metrics.ReadSourceHealthFrom(() => [.. feeds.Runners.Select(r => r.GetStats())]);
        foreach (var r in feeds.Runners) r.Start();
        logger.LogInformation("Frame loop: {Sources} source(s) [{Names}], batch ≤ {MaxBatch}, {Pace}",
            _lanes.Length, string.Join(", ", feeds.Names), _options.MaxBatch,
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
        foreach (var lane in _lanes) lane.Dispose();
        logger.LogInformation("Frame loop stopped; sources released");
    }

    private void Run(CancellationToken ct)
    {
        var batch = new int[_lanes.Length];
        long period = _options.TargetFps > 0 ? (long)(Stopwatch.Frequency / _options.TargetFps) : 0;
        long nextTick = Stopwatch.GetTimestamp();
        long allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (period > 0) nextTick = WaitForTick(nextTick, period, ct);
                if (control.Paused)
                {
                    ct.WaitHandle.WaitOne(20);
                    continue;
                }
                var classifier = models.TakeForTick();
                if (!ReferenceEquals(classifier, _lastClassifier))
                {
                    _lastClassifier = classifier;
                    metrics.SetModel(classifier.Provider, Path.GetFileName(classifier.ModelPath), models.Active!.PrecisionName);
                }
                int count = TakeFrames(batch, Math.Min(_options.MaxBatch, classifier.MaxBatch), ct);
                if (count == 0) continue;
                Infer(classifier, batch, count, ct);
                Volatile.Write(ref _loopAllocated, GC.GetAllocatedBytesForCurrentThread() - allocatedAtStart);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void Infer(Classifier classifier, int[] batch, int count, CancellationToken ct)
    {
        // Straight from the slots' front buffers: they stay the loop's until its next TryTake.
        for (int i = 0; i < count; i++) classifier.SetFrame(i, _lanes[batch[i]].Front!.Image);
        long started = Stopwatch.GetTimestamp();
        var probabilities = classifier.Run(count, ct);
        double inferenceMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        flow.FramesInferredNow(count);
        metrics.ObserveInference(inferenceMs);
        metrics.ObserveBatchSize(count);
        var active = models.Active!;
        int classes = classifier.ClassCount;
        long now = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            var lane = _lanes[batch[i]];
            metrics.FrameInferred(lane.Runner.Name);
            lane.Smoother.Update(probabilities.Slice(i * classes, classes), lane.Stamp.CapturedAt);
            if (!lane.View.ShouldShow(now)) continue;
            // Only a shown frame is copied out of the slot: the encode stage keeps it past the next tick.
            lane.Front!.Image.CopyTo(lane.Raw);
            metrics.FrameShown(lane.Runner.Name);
            lane.Fill(active, inferenceMs, count);
            _stage!.Offer(lane.Index, ref lane.Raw, lane.Report);
        }
    }

    /// <summary>
    /// The newest unseen frame of each source, up to <paramref name="maxBatch"/>; once one source has
    /// delivered, waits at most MaxBatchDelay for the others so a slow camera cannot hold back the rest.
    /// NO SIGNAL frames are not classified: they go straight to the encode stage.
    /// </summary>
    private int TakeFrames(int[] batch, int maxBatch, CancellationToken ct)
    {
        int want = Math.Min(maxBatch, _lanes.Length);
        int count = 0;
        long start = Stopwatch.GetTimestamp();
        long firstAt = 0;
        var delay = TimeSpan.FromMilliseconds(_options.MaxBatchDelayMs);
        for (int i = 0; i < _lanes.Length; i++) _lanes[i].InBatch = false;
        while (!ct.IsCancellationRequested)
        {
            for (int i = 0; i < _lanes.Length && count < want; i++)
            {
                var lane = _lanes[i];
                if (lane.InBatch || !lane.Runner.Slot.TryTake(out var frame)) continue;
                lane.Front = frame;
                lane.Stamp = new FrameStamp(frame.Sequence, frame.Timestamp, frame.GroundTruth);
                CountCaptured(lane);
                if (frame.IsNoSignal)
                {
                    frame.Image.CopyTo(lane.Raw);
                    lane.FillNoSignal();
                    _stage!.Offer(lane.Index, ref lane.Raw, lane.Report);
                    continue;
                }
                lane.InBatch = true;
                batch[count++] = i;
                if (firstAt == 0) firstAt = Stopwatch.GetTimestamp();
            }
            if (count == want) break;
            TimeSpan wait;
            if (count > 0)
            {
                wait = delay - Stopwatch.GetElapsedTime(firstAt);
                if (wait <= TimeSpan.Zero) break;
            }
            else
            {
                // Nothing yet: return now and then so a pause, a model swap or shutdown is noticed.
                wait = IdleWait - Stopwatch.GetElapsedTime(start);
                if (wait <= TimeSpan.Zero) break;
            }
            feeds.Signal.Wait(wait, ct);
        }
        return count;
    }

    private void CountCaptured(Lane lane)
    {
        var stats = lane.Runner.GetStats();
        if (stats.Captured > lane.CountedCaptured) metrics.FrameCaptured(lane.Runner.Name, stats.Captured - lane.CountedCaptured);
        if (stats.Dropped > lane.CountedDropped) metrics.FramesDropped(lane.Runner.Name, stats.Dropped - lane.CountedDropped);
        lane.CountedCaptured = stats.Captured;
        lane.CountedDropped = stats.Dropped;
        lane.Fps = stats.Fps;
    }

    private static long WaitForTick(long nextTick, long period, CancellationToken ct)
    {
        long wait = nextTick - Stopwatch.GetTimestamp();
        if (wait > 0) ct.WaitHandle.WaitOne(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        long next = nextTick + period;
        // Behind by more than a tick: do not try to catch up with a burst.
        return next < Stopwatch.GetTimestamp() ? Stopwatch.GetTimestamp() + period : next;
    }

    private sealed class Lane : IDisposable
    {
        public Lane(SourceRunner runner, int index, FrameLoopOptions o)
        {
            Runner = runner;
            Index = index;
            Smoother = new PredictionSmoother(o.SmoothingHalfLifeSeconds, o.HysteresisMargin, o.TopK);
            View = new ViewPacer(o.MaxViewFps);
            Report = new FrameReport(o.TopK) { Source = runner.Name, SourceIndex = index };
        }

        public readonly SourceRunner Runner;
        public readonly int Index;
        public readonly PredictionSmoother Smoother;
        public readonly ViewPacer View;
        public readonly FrameReport Report;
        /// <summary>This tick's frame: the slot's front buffer, valid until the lane's next TryTake.</summary>
        public CapturedFrame? Front;
        public Mat Raw = new();
        public FrameStamp Stamp;
        public bool InBatch;
        public long CountedCaptured;
        public long CountedDropped;
        public double Fps;

        public void Fill(ActiveModel model, double inferenceMs, int batchSize)
        {
            Report.Sequence = Stamp.Sequence;
            Report.CapturedAt = Stamp.CapturedAt;
            Report.GroundTruth = Stamp.GroundTruth;
            Report.TopCount = Smoother.TopCount;
            Smoother.TopIndices.AsSpan(0, Smoother.TopCount).CopyTo(Report.TopIndices);
            Smoother.TopScores.AsSpan(0, Smoother.TopCount).CopyTo(Report.TopScores);
            Report.Labels = model.Metadata.Labels;
            Report.ModelName = model.Name;
            Report.Precision = model.Metadata.Precision;
            Report.CenterCrop = model.Metadata.Resize == EdgeVision.Core.Model.ResizePolicy.CenterCrop;
            Report.NoSignal = false;
            Report.Provider = model.Provider;
            Report.InferenceMs = inferenceMs;
            Report.BatchSize = batchSize;
            Report.SourceFps = Fps;
            Report.Dropped = CountedDropped;
        }

        public void FillNoSignal()
        {
            Report.Sequence = Stamp.Sequence;
            Report.CapturedAt = Stamp.CapturedAt;
            Report.GroundTruth = null;
            Report.TopCount = 0;
            Report.NoSignal = true;
            Report.SourceFps = 0;
            Report.Dropped = CountedDropped;
            Smoother.Reset();
        }

        public void Dispose() => Raw.Dispose();
    }
}
