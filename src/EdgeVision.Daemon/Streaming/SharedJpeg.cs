namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// A JPEG in a reusable buffer, shared by every reader of a frame. Reference counted so the producer can
/// recycle the buffer as soon as the last slow reader has finished writing it, and never earlier.
/// </summary>
internal sealed class SharedJpeg
{
    private readonly FramePool _pool;
    private byte[] _buffer = [];
    private int _length;
    private int _refs;

    public SharedJpeg(FramePool pool) => _pool = pool;

    public long Sequence { get; private set; }

    public ReadOnlyMemory<byte> Bytes => _buffer.AsMemory(0, _length);

    /// <summary>Fills a buffer that nobody references (fresh from the pool) and hands the caller the first reference.</summary>
    public void Fill(ReadOnlySpan<byte> jpeg, long sequence)
    {
        if (_buffer.Length < jpeg.Length)
        {
            // Grow with headroom so a camera whose JPEG size jitters does not reallocate every frame.
            _buffer = new byte[Math.Max(jpeg.Length + jpeg.Length / 4, 4096)];
        }
        jpeg.CopyTo(_buffer);
        _length = jpeg.Length;
        Sequence = sequence;
        Volatile.Write(ref _refs, 1);
    }

    /// <summary>Fails once the frame went back to the pool; the caller then re-reads the newest frame.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int refs = Volatile.Read(ref _refs);
            if (refs == 0) return false;
            if (Interlocked.CompareExchange(ref _refs, refs + 1, refs) == refs) return true;
        }
    }

    public void Release()
    {
        int refs = Interlocked.Decrement(ref _refs);
        if (refs == 0) _pool.Return(this);
        else if (refs < 0) throw new InvalidOperationException("a shared JPEG was released more often than acquired");
    }
}
