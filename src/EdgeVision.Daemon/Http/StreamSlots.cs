using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// Caps long-lived clients (MJPEG and event streams together): each costs a connection and a frame buffer
/// while it sends, so past the limit new ones get 429 rather than slowing everyone.
/// </summary>
public sealed class StreamSlots(IOptions<HttpOptions> options)
{
    private readonly int _max = options.Value.MaxStreamClients;
    private int _used;

    public int Max => _max;

    public int InUse => Volatile.Read(ref _used);

    public bool TryEnter()
    {
        while (true)
        {
            int used = Volatile.Read(ref _used);
            if (used >= _max) return false;
            if (Interlocked.CompareExchange(ref _used, used + 1, used) == used) return true;
        }
    }

    public void Exit() => Interlocked.Decrement(ref _used);
}
