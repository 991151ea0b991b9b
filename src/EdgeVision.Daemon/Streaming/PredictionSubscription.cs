using System.Threading.Channels;

namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// One server-sent-events client's view of the predictions (and the other events, such as teach progress): a
/// small bounded mailbox where the oldest event is dropped (and counted) when the client reads slower than
/// inferences happen.
/// </summary>
public sealed class PredictionSubscription : IDisposable
{
    /// <summary>Events held for a slow client before the oldest is dropped.</summary>
    public const int Capacity = 64;

    private readonly Action<PredictionSubscription> _onDispose;
    private readonly Channel<ServerSentEvent> _events;
    private long _dropped;
    private int _disposed;

    internal PredictionSubscription(Action<PredictionSubscription> onDispose)
    {
        _onDispose = onDispose;
        _events = Channel.CreateBounded<ServerSentEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Predictions, one per shown frame per source (FrameLoop:MaxViewFps paces them), and other events as they happen.</summary>
    public ChannelReader<ServerSentEvent> Events => _events.Reader;

    /// <summary>Events this client missed because it read too slowly.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(in ServerSentEvent e) => _events.Writer.TryWrite(e);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _events.Writer.TryComplete();
        _onDispose(this);
    }
}
