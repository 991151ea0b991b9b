using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using EdgeVision.Daemon.Streaming;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// One source on one live connection: waits for the source's next annotated frame, scales it (once per width per
/// frame for every client, <see cref="ScaledJpegCache"/>), paces it to the asked rate and leaves it in a one-frame
/// slot for the connection's writer. Latest wins: the lane takes a new frame only once the writer has sent the
/// previous one, so a slow or stuck connection costs no decoding, holds one frame per source and skips to the
/// newest (counted) as soon as it can take one again.
/// </summary>
internal sealed class LiveLane
{
    /// <summary>First byte of a binary message: a JPEG frame follows the header.</summary>
    public const byte FrameMessage = 1;

    private readonly SourceStreams _streams;
    private readonly Action _wake;
    private readonly Action<long> _onSkipped;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slotFree = new(1, 1);
    private readonly byte[] _header;
    private SharedJpeg? _ready;
    private Task _loop = Task.CompletedTask;
    private long _sent;
    private long _skipped;

    public LiveLane(SourceStreams streams, LiveStreamRequest request, Action wake, Action<long> onSkipped)
    {
        _streams = streams;
        Request = request;
        _wake = wake;
        _onSkipped = onSkipped;
        byte[] name = Encoding.UTF8.GetBytes(request.Source);
        if (name.Length > byte.MaxValue) throw new ArgumentException($"source name '{request.Source}' is longer than {byte.MaxValue} bytes", nameof(request));
        // [1][name length][name UTF-8][sequence, int64 big-endian] then the JPEG.
        _header = new byte[2 + name.Length + sizeof(long)];
        _header[0] = FrameMessage;
        _header[1] = (byte)name.Length;
        name.CopyTo(_header, 2);
    }

    public LiveStreamRequest Request { get; }

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Frames published while this connection was still sending the source's previous frame.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    public int HeaderLength => _header.Length;

    public void Start() => _loop = RunAsync(_stop.Token);

    /// <summary>The frame waiting to be sent (the writer owns its reference now), or null.</summary>
    public SharedJpeg? Take() => Interlocked.Exchange(ref _ready, null);

    /// <summary>Writes the binary message header of <paramref name="frame"/> (<see cref="HeaderLength"/> bytes).</summary>
    public void WriteHeader(Span<byte> destination, SharedJpeg frame)
    {
        _header.CopyTo(destination);
        BinaryPrimitives.WriteInt64BigEndian(destination[(_header.Length - sizeof(long))..], frame.Sequence);
    }

    /// <summary>The writer has sent (or given up on) the frame it took: the lane may fetch the next one.</summary>
    public void FrameSent()
    {
        Interlocked.Increment(ref _sent);
        _slotFree.Release();
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        Interlocked.Exchange(ref _ready, null)?.Release();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var feed = _streams.Annotated;
        var interval = TimeSpan.FromSeconds(1.0 / Request.Fps);
        long last = -1;
        feed.AddReader();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (!_slotFree.Wait(0))
                {
                    long before = feed.LatestSequence;
                    await _slotFree.WaitAsync(ct).ConfigureAwait(false);
                    long missed = feed.LatestSequence - before - 1;
                    if (missed > 0)
                    {
                        Interlocked.Add(ref _skipped, missed);
                        _onSkipped(missed);
                    }
                }
                var frame = await feed.WaitNewerAsync(last, ct).ConfigureAwait(false);
                long started = Stopwatch.GetTimestamp();
                last = frame.Sequence;
                SharedJpeg toSend = frame;
                if (Request.Width > 0)
                {
                    try
                    {
                        toSend = _streams.AnnotatedScaled.GetScaled(frame, Request.Width);
                    }
                    finally
                    {
                        frame.Release();
                    }
                }
                Volatile.Write(ref _ready, toSend);
                _wake();
                var remaining = interval - Stopwatch.GetElapsedTime(started);
                if (remaining > TimeSpan.Zero) await Task.Delay(remaining, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            feed.RemoveReader();
        }
    }
}
