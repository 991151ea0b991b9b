namespace EdgeVision.Capture;

/// <summary>
/// Wakes the frame loop when any source publishes, so a tick can wait "at most MaxBatchDelay" for more frames
/// without polling. One signal can be shared by all slots. Auto-reset: one wait consumes one or more publishes.
/// </summary>
public sealed class FrameSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Set()
    {
        // A semaphore capped at 1 coalesces bursts; the SemaphoreFullException path is the "already set" case.
        try { _semaphore.Release(); }
        catch (SemaphoreFullException) { }
        catch (ObjectDisposedException) { }
    }

    /// <summary>True if a frame was published since the last wait, or arrives within <paramref name="timeout"/>.</summary>
    public bool Wait(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _semaphore.Wait(timeout, cancellationToken);

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
