using System.Threading.Channels;

namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// One live client's view of the hub's events (predictions and every other type published): a small bounded
/// mailbox where the oldest event is dropped (and counted) when the client reads slower than events happen.
/// Server-sent events and the WebSocket both read it, so whatever type one carries the other carries too.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    /// <summary>Events held for a slow client before the oldest is dropped.</summary>
    public const int Capacity = 64;

    private readonly Action<EventSubscription> _onDispose;
    private readonly Channel<ServerEvent> _events;
    private long _dropped;
    private int _disposed;

    internal EventSubscription(Action<EventSubscription> onDispose)
    {
        _onDispose = onDispose;
        _events = Channel.CreateBounded<ServerEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Events in publishing order: a prediction per shown frame per source (FrameLoop:MaxViewFps paces them), and the rest.</summary>
    public ChannelReader<ServerEvent> Events => _events.Reader;

    /// <summary>Events this client missed because it read too slowly.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Offer(in ServerEvent e) => _events.Writer.TryWrite(e);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _events.Writer.TryComplete();
        _onDispose(this);
    }
}
