namespace EdgeVision.Capture;

/// <summary>
/// The latest-frame slot of one source, triple-buffered the way games present frames. The capture thread owns a
/// back buffer and publishes by swapping it with the shared latest buffer; the frame loop takes the newest unseen
/// frame by swapping its front buffer with the latest. The lock covers only reference swaps, nothing queues, no Mat
/// is allocated in steady state, and a frame published over an unseen one is counted as dropped.
/// </summary>
public sealed class LatestFrameSlot : IDisposable
{
    private readonly object _gate = new();
    private readonly FrameSignal? _signal;
    private CapturedFrame _latest = new();
    private CapturedFrame _front = new();
    private bool _unseen;
    private bool _disposed;
    private long _published;
    private long _dropped;
    private long _taken;

    public LatestFrameSlot(string sourceName, FrameSignal? signal = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        SourceName = sourceName;
        _signal = signal;
    }

    public string SourceName { get; }

    /// <summary>Frames published (captured frames and NO SIGNAL frames).</summary>
    public long Published => Interlocked.Read(ref _published);

    /// <summary>Frames overwritten before the frame loop took them.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Frames taken by the frame loop.</summary>
    public long Taken => Interlocked.Read(ref _taken);

    /// <summary>True when a frame is waiting that the frame loop has not taken.</summary>
    public bool HasUnseen { get { lock (_gate) return _unseen; } }

    /// <summary>A back buffer for a producer (capture thread); the producer owns and eventually disposes it.</summary>
    public static CapturedFrame CreateBackBuffer() => new();

    /// <summary>
    /// Publishes <paramref name="back"/> as the newest frame and hands the previous latest buffer back in its
    /// place for the producer to fill next. After <see cref="Dispose"/> the frame is disposed instead and
    /// <paramref name="back"/> becomes a fresh empty buffer the producer still owns.
    /// </summary>
    public void Publish(ref CapturedFrame back)
    {
        ArgumentNullException.ThrowIfNull(back);
        lock (_gate)
        {
            if (_disposed)
            {
                back.Dispose();
                back = new CapturedFrame();
                return;
            }
            (back, _latest) = (_latest, back);
            if (_unseen) _dropped++;
            _unseen = true;
            _published++;
        }
        _signal?.Set();
    }

    /// <summary>
    /// Takes the newest frame not taken before. The returned frame is the frame loop's front buffer: it stays valid
    /// (and may be drawn on) until the next <see cref="TryTake"/> or <see cref="Dispose"/>.
    /// </summary>
    public bool TryTake(out CapturedFrame frame)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_unseen)
            {
                frame = _front;
                return false;
            }
            (_front, _latest) = (_latest, _front);
            _unseen = false;
            _taken++;
            frame = _front;
            return true;
        }
    }

    /// <summary>
    /// Copies the newest frame (seen or not) into <paramref name="destination"/> without taking it: for snapshots
    /// and raw views that must not steal frames from the frame loop. When nothing is unseen this is the frame
    /// loop's front buffer, so it is raw only if the loop annotates a copy rather than the front buffer itself.
    /// False before the first frame.
    /// </summary>
    public bool TryPeekCopy(CapturedFrame destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var source = _unseen ? _latest : _front;
            if (source.Image.Empty()) return false;
            source.Image.CopyTo(destination.Image);
            destination.CopyInfoFrom(source);
            return true;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _latest.Dispose();
            _front.Dispose();
        }
    }
}
