namespace EdgeVision.Capture;

/// <summary>What one <see cref="FrameSource.Read"/> produced.</summary>
public enum FrameReadStatus
{
    /// <summary>A frame was written into the buffer.</summary>
    Frame,

    /// <summary>The stream ended: a live source is reopened, a finite one (a file without loop) is finished.</summary>
    EndOfStream,
}

/// <summary>
/// Opens, reads and closes one kind of source. Used by exactly one capture thread at a time; only
/// <see cref="Interrupt"/> may be called from another thread (the supervisor, when a read hangs).
/// Failures are thrown as <see cref="SourceException"/> with credentials already redacted.
/// </summary>
public abstract class FrameSource : IDisposable
{
    protected FrameSource(string description)
    {
        Description = UrlRedactor.Redact(description);
    }

    /// <summary>What this reads from, safe to log (credentials redacted).</summary>
    public string Description { get; }

    /// <summary>
    /// True when the end of the stream means the connection was lost (camera, network stream) and the source
    /// should be reopened; false when it means the content is over (a file or folder without loop).
    /// </summary>
    public abstract bool IsLive { get; }

    public abstract void Open(CancellationToken cancellationToken);

    /// <summary>
    /// Fills <paramref name="frame"/>'s image (BGR CV_8UC3, reusing its Mat) and ground truth. Paced sources (files,
    /// folders, the demo) wait here until the frame is due. Returns when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public abstract FrameReadStatus Read(CapturedFrame frame, CancellationToken cancellationToken);

    /// <summary>Best effort to unblock a hung <see cref="Read"/> from another thread (kill the child process…).</summary>
    public virtual void Interrupt()
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Waits until <paramref name="dueTimestamp"/> (Stopwatch ticks); false if cancelled first.</summary>
    protected static bool WaitUntil(long dueTimestamp, CancellationToken cancellationToken)
    {
        long remaining = dueTimestamp - System.Diagnostics.Stopwatch.GetTimestamp();
        if (remaining <= 0) return !cancellationToken.IsCancellationRequested;
        var wait = TimeSpan.FromSeconds(remaining / (double)System.Diagnostics.Stopwatch.Frequency);
        return !cancellationToken.WaitHandle.WaitOne(wait);
    }
}
