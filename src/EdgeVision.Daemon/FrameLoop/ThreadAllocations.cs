namespace EdgeVision.Daemon.FrameLoop;

/// <summary>
/// Managed bytes one thread has allocated since it started, sampled by that thread once per tick and read from
/// any other: how the benchmark proves the frame loop and encode stage allocate nothing per frame (the runtime
/// counts a thread's allocations only for the thread itself).
/// </summary>
public sealed class ThreadAllocations
{
    private long _start = -1;
    private long _bytes;

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Called on the measured thread.</summary>
    public void Sample()
    {
        long now = GC.GetAllocatedBytesForCurrentThread();
        if (_start < 0) _start = now;
        Volatile.Write(ref _bytes, now - _start);
    }
}
