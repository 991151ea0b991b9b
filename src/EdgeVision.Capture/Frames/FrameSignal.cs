namespace EdgeVision.Capture;

/// <summary>
/// Wakes the frame loop when any source publishes, so a tick can wait "at most MaxBatchDelay" for more frames
/// without polling. One signal can be shared by all slots and has one waiter (the frame loop). Auto-reset: one
/// wait consumes every publish since the previous one.
/// </summary>
public sealed class FrameSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    // 1 from the first Set after a consumed wait until the next wait consumes it. Only the 0→1 transition
    // releases the semaphore, so a source publishing faster than the loop waits costs one interlocked
    // exchange per frame (releasing a full semaphore throws, and a throw per frame cost a fast source's
    // thread about 20 µs and an exception object per frame).
    private int _pending;

    public void Set()
    {
        if (Interlocked.Exchange(ref _pending, 1) != 0) return;
        try { _semaphore.Release(); }
        catch (ObjectDisposedException) { }
    }

    /// <summary>True if a frame was published since the last wait, or arrives within <paramref name="timeout"/>.</summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (!_semaphore.Wait(timeout, cancellationToken)) return false;
        // A Set between the acquire and this reset is not lost: its frame was published before it called Set,
        // and the caller scans the slots after the wait returns.
        Volatile.Write(ref _pending, 0);
        return true;
    }

    public void Dispose() => _semaphore.Dispose();
}
