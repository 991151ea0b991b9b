using System.Collections.Concurrent;

namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// Recycles <see cref="SharedJpeg"/> buffers of one feed. Its size is bounded by one frame per reader that is
/// still writing plus the newest one, because a reader only ever holds the frame it is sending.
/// </summary>
internal sealed class FramePool
{
    private readonly ConcurrentQueue<SharedJpeg> _free = new();

    public SharedJpeg Rent() => _free.TryDequeue(out var frame) ? frame : new SharedJpeg(this);

    public void Return(SharedJpeg frame) => _free.Enqueue(frame);

    public int FreeCount => _free.Count;
}
