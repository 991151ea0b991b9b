namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// The newest JPEG of one stream (annotated or raw) of one source, and a pulse that wakes readers when it
/// changes. Latest frame wins: there is no queue, a reader that was busy simply gets the newest frame next.
/// </summary>
internal sealed class FrameFeed
{
    private readonly FramePool _pool = new();
    private SharedJpeg? _latest;
    private TaskCompletionSource _pulse = NewPulse();
    private int _waiters;
    private int _readers;

    /// <summary>Readers currently attached (MJPEG clients of this feed).</summary>
    public int ReaderCount => Volatile.Read(ref _readers);

    public long LatestSequence => Volatile.Read(ref _latest)?.Sequence ?? -1;

    public void AddReader() => Interlocked.Increment(ref _readers);

    public void RemoveReader() => Interlocked.Decrement(ref _readers);

    public void Publish(ReadOnlySpan<byte> jpeg, long sequence)
    {
        var frame = _pool.Rent();
        frame.Fill(jpeg, sequence);
        Interlocked.Exchange(ref _latest, frame)?.Release();
        // Interlocked.Exchange above is a full fence, and waiters register with one before re-checking the
        // latest frame, so either they see the new frame or we see them; a pulse is only allocated when needed.
        if (Volatile.Read(ref _waiters) > 0)
        {
            Interlocked.Exchange(ref _pulse, NewPulse()).TrySetResult();
        }
    }

    /// <summary>The newest frame with a reference the caller must release, or null before the first frame.</summary>
    public SharedJpeg? AcquireLatest()
    {
        while (true)
        {
            var frame = Volatile.Read(ref _latest);
            if (frame is null) return null;
            if (frame.TryAcquire()) return frame;
            // Recycled between the read and the acquire: a newer frame is already published.
        }
    }

    /// <summary>Waits for a frame newer than <paramref name="afterSequence"/> and returns it acquired.</summary>
    public async ValueTask<SharedJpeg> WaitNewerAsync(long afterSequence, CancellationToken ct)
    {
        while (true)
        {
            Interlocked.Increment(ref _waiters);
            Task pulse;
            try
            {
                pulse = Volatile.Read(ref _pulse).Task;
                var frame = AcquireLatest();
                if (frame is not null)
                {
                    if (frame.Sequence > afterSequence) return frame;
                    frame.Release();
                }
                await pulse.WaitAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }
    }

    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
