using EdgeVision.Daemon.Mqtt;

namespace EdgeVision.Daemon.Metrics;

/// <summary>The MQTT publisher's counters (edgevision_mqtt_*), written only once it has tried to connect.</summary>
internal sealed class MqttCounters
{
    public long Connected;
    public long Reconnects;
    public long ConnectFailures;
    public long PublishFailures;
    public long Superseded;
    public long Queued;
    public readonly long[] Published = new long[Enum.GetValues<MessageKind>().Length];

    public void WriteTo(TextWriter w)
    {
        if (Interlocked.Read(ref Connected) == 0 && Interlocked.Read(ref ConnectFailures) == 0 && Interlocked.Read(ref Reconnects) == 0) return;
        Single(w, "edgevision_mqtt_connected", "gauge", "1 while the MQTT publisher is connected to its broker.", Interlocked.Read(ref Connected));
        Single(w, "edgevision_mqtt_reconnects_total", "counter", "Connections to the broker made again after one was lost.", Interlocked.Read(ref Reconnects));
        Single(w, "edgevision_mqtt_connect_failures_total", "counter", "Connection attempts the broker refused or did not answer.", Interlocked.Read(ref ConnectFailures));
        PrometheusText.Header(w, "edgevision_mqtt_messages_published_total", "counter", "Messages the broker accepted (acknowledged at QoS 1), by kind.");
        foreach (var kind in Enum.GetValues<MessageKind>())
        {
            PrometheusText.Sample(w, "edgevision_mqtt_messages_published_total", $"kind=\"{kind.ToString().ToLowerInvariant()}\"", Interlocked.Read(ref Published[(int)kind]));
        }
        Single(w, "edgevision_mqtt_publish_failures_total", "counter", "Publishes that failed (kept for the next connection).", Interlocked.Read(ref PublishFailures));
        Single(w, "edgevision_mqtt_messages_superseded_total", "counter", "Messages replaced by a newer one on the same topic before they were sent (latest wins).", Interlocked.Read(ref Superseded));
        Single(w, "edgevision_mqtt_queued_messages", "gauge", "Messages waiting to be sent (at most one per topic).", Interlocked.Read(ref Queued));
    }

    private static void Single(TextWriter w, string name, string type, string help, double value)
    {
        PrometheusText.Header(w, name, type, help);
        PrometheusText.Sample(w, name, "", value);
    }
}
