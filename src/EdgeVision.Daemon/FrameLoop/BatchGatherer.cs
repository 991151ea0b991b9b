using System.Diagnostics;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Options;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Gathers one tick's frames: the newest unseen frame of each source, up to the batch size; once one source has
/// delivered, waits at most FrameLoop:MaxBatchDelayMs for the others so a slow camera cannot hold back the rest.
/// Owns the <see cref="SourceLane"/>s and counts what each source captured and dropped as its frames are taken.
/// </summary>
public sealed class BatchGatherer : IDisposable
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(50);
    private readonly SourceLane[] _lanes;
    private readonly SourceLane[] _batch;
    private readonly SourceLane[] _noSignal;
    private readonly CaptureSources _feeds;
    private readonly DaemonMetrics _metrics;
    private readonly TimeSpan _maxDelay;
    private readonly long[] _countedCaptured;
    private readonly long[] _countedDropped;

    public BatchGatherer(CaptureSources feeds, FrameLoopOptions options, DaemonMetrics metrics)
    {
        _feeds = feeds;
        _metrics = metrics;
        _lanes = feeds.Runners.Select((r, i) => new SourceLane(r, i, options)).ToArray();
        _batch = new SourceLane[_lanes.Length];
        _noSignal = new SourceLane[_lanes.Length];
        _countedCaptured = new long[_lanes.Length];
        _countedDropped = new long[_lanes.Length];
        _maxDelay = TimeSpan.FromMilliseconds(options.MaxBatchDelayMs);
    }

    public int SourceCount => _lanes.Length;

    /// <summary>
    /// This tick's frames: those to classify (at most <paramref name="maxBatch"/>) and the NO SIGNAL frames of the
    /// sources that are down, which are shown but not classified. Returns early with nothing now and then, so a
    /// pause, a model swap or shutdown is noticed.
    /// </summary>
    public GatheredFrames Gather(int maxBatch, CancellationToken ct)
    {
        int want = Math.Min(maxBatch, _lanes.Length);
        int count = 0, noSignal = 0;
        long start = Stopwatch.GetTimestamp();
        long firstAt = 0;
        foreach (var lane in _lanes) lane.TakenThisTick = false;
        while (!ct.IsCancellationRequested)
        {
            for (int i = 0; i < _lanes.Length && count < want; i++)
            {
                var lane = _lanes[i];
                if (lane.TakenThisTick || !lane.Runner.Slot.TryTake(out var frame)) continue;
                lane.Take(frame, CountCaptured(i));
                lane.TakenThisTick = true;
                if (frame.IsNoSignal)
                {
                    _noSignal[noSignal++] = lane;
                    continue;
                }
                _batch[count++] = lane;
                if (firstAt == 0) firstAt = Stopwatch.GetTimestamp();
            }
            if (count == want) break;
            var wait = count > 0 ? _maxDelay - Stopwatch.GetElapsedTime(firstAt) : IdleWait - Stopwatch.GetElapsedTime(start);
            if (wait <= TimeSpan.Zero) break;
            _feeds.Signal.Wait(wait, ct);
        }
        return new GatheredFrames(_batch.AsSpan(0, count), _noSignal.AsSpan(0, noSignal));
    }

    private SourceRate CountCaptured(int i)
    {
        var lane = _lanes[i];
        var stats = lane.Runner.GetStats();
        if (stats.Captured > _countedCaptured[i]) _metrics.FrameCaptured(lane.Runner.Name, stats.Captured - _countedCaptured[i]);
        if (stats.Dropped > _countedDropped[i]) _metrics.FramesDropped(lane.Runner.Name, stats.Dropped - _countedDropped[i]);
        _countedCaptured[i] = stats.Captured;
        _countedDropped[i] = stats.Dropped;
        return new SourceRate(stats.Fps, stats.Dropped);
    }

    public void Dispose()
    {
        foreach (var lane in _lanes) lane.Dispose();
    }
}

/// <summary>One tick's frames from <see cref="BatchGatherer.Gather"/>: valid until the next gather.</summary>
public readonly ref struct GatheredFrames(ReadOnlySpan<SourceLane> batch, ReadOnlySpan<SourceLane> noSignal)
{
    /// <summary>Lanes whose frame is to be classified, in batch-slot order.</summary>
    public ReadOnlySpan<SourceLane> Batch { get; } = batch;

    /// <summary>Lanes whose source is down: their NO SIGNAL frame is shown, not classified.</summary>
    public ReadOnlySpan<SourceLane> NoSignal { get; } = noSignal;
}
