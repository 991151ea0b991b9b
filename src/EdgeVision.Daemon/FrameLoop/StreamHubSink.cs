using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Streaming;
using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Publishes each annotated frame and its prediction to the HTTP <see cref="StreamHub"/> (MJPEG, SSE) and
/// records the capture-to-JPEG latency. The top-k array is reused per source; the hub serializes it at once.
/// </summary>
public sealed class StreamHubSink(StreamHub hub, DaemonMetrics metrics) : IAnnotatedFrameSink
{
    private readonly Dictionary<int, ScoredLabel[]> _topK = [];

    public void Publish(FrameReport report, ReadOnlySpan<byte> jpeg, Mat annotated, Mat raw)
    {
        hub.PublishFrame(report.Source, report.Sequence, jpeg, raw);
        metrics.ObserveEndToEnd(report.EndToEndMs);
        if (report.TopCount == 0) return;
        if (!_topK.TryGetValue(report.SourceIndex, out var top) || top.Length < report.TopCount)
            _topK[report.SourceIndex] = top = new ScoredLabel[report.TopCount];
        for (int i = 0; i < report.TopCount; i++) top[i] = new ScoredLabel(report.Labels[report.TopIndices[i]], report.TopScores[i]);
        string? truth = report.GroundTruth is { } gt && gt >= 0 && gt < report.Labels.Count ? report.Labels[gt] : null;
        hub.PublishPrediction(new PredictionUpdate(report.Source, report.Sequence, top.AsMemory(0, report.TopCount),
            report.Inference.Milliseconds, report.EndToEndMs, truth, DateTimeOffset.UtcNow));
    }
}
