using EdgeVision.Capture;
using OpenCvSharp;

namespace EdgeVision.Daemon.Benchmark;

/// <summary>
/// A live source for the benchmark: one prepared 640×480 frame delivered at a fixed rate, so measurements see
/// the frame loop and not a decoder. Each frame is copied into the reused capture buffer like a camera read.
/// </summary>
public sealed class SyntheticFrameSource(Mat frame, double fps) : EdgeVision.Capture.FrameSource("synthetic")
{
    private readonly long _period = (long)(System.Diagnostics.Stopwatch.Frequency / fps);
    private long _next;

    public override bool IsLive => true;

    public override void Open(CancellationToken cancellationToken) => _next = System.Diagnostics.Stopwatch.GetTimestamp();

    public override FrameReadStatus Read(CapturedFrame captured, CancellationToken cancellationToken)
    {
        _next += _period;
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_next < now - _period) _next = now;
        if (!WaitUntil(_next, cancellationToken)) return FrameReadStatus.EndOfStream;
        frame.CopyTo(captured.Image);
        captured.GroundTruth = null;
        return FrameReadStatus.Frame;
    }
}
