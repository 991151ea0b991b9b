using System.Diagnostics;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Inference;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Runs the model on one gathered batch: each lane's frame straight from its slot's front buffer into the
/// classifier's pinned batch buffer, one ORT run, then the inference metrics and the flow the watchdog reads.
/// </summary>
public sealed class BatchInference(FlowMonitor flow, DaemonMetrics metrics)
{
    public InferredBatch Run(Classifier classifier, ReadOnlySpan<SourceLane> batch, CancellationToken ct)
    {
        // The front buffers stay the loop's until the lanes' next take, so no copy is made here.
        for (int i = 0; i < batch.Length; i++) classifier.SetFrame(i, batch[i].Front!.Image);
        long started = Stopwatch.GetTimestamp();
        var probabilities = classifier.Run(batch.Length, ct);
        var timing = new InferenceTiming(Stopwatch.GetElapsedTime(started).TotalMilliseconds, batch.Length);
        flow.FramesInferredNow(batch.Length);
        metrics.ObserveInference(timing.Milliseconds);
        metrics.ObserveBatchSize(batch.Length);
        foreach (var lane in batch) metrics.FrameInferred(lane.Runner.Name);
        return new InferredBatch(probabilities, classifier.ClassCount, timing);
    }
}

/// <summary>A batch's class probabilities, row-major [batch × classes]; valid until the classifier's next run.</summary>
public readonly ref struct InferredBatch(ReadOnlySpan<float> probabilities, int classes, InferenceTiming timing)
{
    private readonly ReadOnlySpan<float> _probabilities = probabilities;

    public InferenceTiming Timing { get; } = timing;

    public ReadOnlySpan<float> ProbabilitiesOf(int slot) => _probabilities.Slice(slot * classes, classes);
}
