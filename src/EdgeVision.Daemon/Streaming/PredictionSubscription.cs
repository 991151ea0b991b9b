using System.Threading.Channels;

namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// One server-sent-events client's view of the predictions: a small bounded mailbox where the oldest event
/// is dropped (and counted) when the client reads slower than inferences happen.
/// </summary>
public sealed class PredictionSubscription : IDisposable
{
    /// <summary>Events held for a slow client before the oldest is dropped.</summary>
    public const int Capacity = 64;

    private readonly Action<PredictionSubscription> _onDispose;
    private readonly Channel<byte[]> _events;
    private long _dropped;
    private int _disposed;

    internal PredictionSubscription(Action<PredictionSubscription> onDispose)
    {
        _onDispose = onDispose;
        _events = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>UTF-8 JSON documents, one per shown frame per source (FrameLoop:MaxViewFps paces them).</summary>
    public ChannelReader<byte[]> Events => _events.Reader;

    /// <summary>Events this client missed because it read too slowly.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(byte[] json) => _events.Writer.TryWrite(json);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _events.Writer.TryComplete();
        _onDispose(this);
    }
}
