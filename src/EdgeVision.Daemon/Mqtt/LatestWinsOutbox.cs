using EdgeVision.Daemon.Metrics;

namespace EdgeVision.Daemon.Mqtt;

/// <summary>
/// What waits to be published: at most one message per topic, a newer one replacing (and counting) the older.
/// Memory is bounded by the number of topics however long the broker is away, and the frame loop's
/// <see cref="Offer"/> never waits. One task drains it (<see cref="MqttPublisher"/>).
/// </summary>
public sealed class LatestWinsOutbox(DaemonMetrics metrics)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, OutgoingMessage> _pending = new(StringComparer.Ordinal);
    // Insertion order of pending topics, so availability and discovery offered first go first.
    private readonly List<string> _order = [];
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _superseded;

    /// <summary>Messages replaced by a newer one on the same topic before they were sent.</summary>
    public long Superseded => Interlocked.Read(ref _superseded);

    public int Count
    {
        get { lock (_gate) return _pending.Count; }
    }

    public void Offer(OutgoingMessage message)
    {
        lock (_gate)
        {
            if (_pending.ContainsKey(message.Topic))
            {
                Interlocked.Increment(ref _superseded);
                metrics.MqttMessageSuperseded();
            }
            else _order.Add(message.Topic);
            _pending[message.Topic] = message;
            metrics.MqttQueued(_pending.Count);
        }
        try { _signal.Release(); } catch (SemaphoreFullException) { } // already signalled
    }

    /// <summary>Waits until something is pending (or <paramref name="timeout"/>), then takes it all, oldest topic first.</summary>
    public async Task<List<OutgoingMessage>> TakeAllAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (Count == 0) await _signal.WaitAsync(timeout, ct).ConfigureAwait(false);
        lock (_gate)
        {
            var taken = new List<OutgoingMessage>(_order.Count);
            foreach (string topic in _order) taken.Add(_pending[topic]);
            _order.Clear();
            _pending.Clear();
            metrics.MqttQueued(0);
            return taken;
        }
    }

    /// <summary>Puts back what could not be sent, unless a newer message for the topic arrived meanwhile.</summary>
    public void Return(IEnumerable<OutgoingMessage> unsent)
    {
        lock (_gate)
        {
            var back = new List<string>();
            foreach (var m in unsent)
            {
                if (_pending.ContainsKey(m.Topic)) continue;
                _pending[m.Topic] = m;
                back.Add(m.Topic);
            }
            _order.InsertRange(0, back);
            metrics.MqttQueued(_pending.Count);
        }
    }
}

/// <summary>One MQTT message the daemon wants delivered.</summary>
public sealed record OutgoingMessage(string Topic, byte[] Payload, bool Retain, MessageKind Kind);

/// <summary>What a message is, the label of edgevision_mqtt_messages_published_total.</summary>
public enum MessageKind { Availability, Discovery, State, Status }
