using OpenCvSharp;

namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Receives every annotated frame on the encode stage thread: the HTTP stream hub, the local window, the
/// recorder. Must return quickly and copy what it keeps — the buffers are reused for the next frame.
/// </summary>
public interface IAnnotatedFrameSink
{
    void Publish(FrameReport report, ReadOnlySpan<byte> jpeg, Mat annotated, Mat raw);
}
