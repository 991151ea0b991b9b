using System.Diagnostics.Metrics;
using EdgeVision.Daemon.Mqtt;

namespace EdgeVision.Daemon.Metrics;

/// <summary>
/// The MQTT publisher's counters (edgevision_mqtt_*), published by observable instruments that report nothing until
/// the publisher has tried to connect, so a daemon without Mqtt:Host shows no MQTT series.
/// </summary>
internal sealed class MqttCounters
{
    public long Connected;
    public long Reconnects;
    public long ConnectFailures;
    public long PublishFailures;
    public long Superseded;
    public long Queued;
    public readonly long[] Published = new long[Enum.GetValues<MessageKind>().Length];

    private static readonly MessageKind[] Kinds = Enum.GetValues<MessageKind>();

    private bool Tried => Interlocked.Read(ref Connected) != 0 || Interlocked.Read(ref ConnectFailures) != 0 || Interlocked.Read(ref Reconnects) != 0;

    public void Register(Meter meter)
    {
        meter.CreateObservableUpDownCounter("edgevision_mqtt_connected", () => Single(ref Connected), null, "1 while the MQTT publisher is connected to its broker.");
        meter.CreateObservableCounter("edgevision_mqtt_reconnects_total", () => Single(ref Reconnects), "{reconnect}", "Connections to the broker made again after one was lost.");
        meter.CreateObservableCounter("edgevision_mqtt_connect_failures_total", () => Single(ref ConnectFailures), "{attempt}", "Connection attempts the broker refused or did not answer.");
        meter.CreateObservableCounter("edgevision_mqtt_messages_published_total", PublishedByKind, "{message}", "Messages the broker accepted (acknowledged at QoS 1), by kind.");
        meter.CreateObservableCounter("edgevision_mqtt_publish_failures_total", () => Single(ref PublishFailures), "{message}", "Publishes that failed (kept for the next connection).");
        meter.CreateObservableCounter("edgevision_mqtt_messages_superseded_total", () => Single(ref Superseded), "{message}", "Messages replaced by a newer one on the same topic before they were sent (latest wins).");
        meter.CreateObservableUpDownCounter("edgevision_mqtt_queued_messages", () => Single(ref Queued), "{message}", "Messages waiting to be sent (at most one per topic).");
    }

    private Measurement<long>[] Single(ref long field) => Tried ? [new Measurement<long>(Interlocked.Read(ref field))] : [];

    private Measurement<long>[] PublishedByKind() => Tried
        ? [.. Kinds.Select(k => new Measurement<long>(Interlocked.Read(ref Published[(int)k]), new KeyValuePair<string, object?>("kind", k.ToString().ToLowerInvariant())))]
        : [];
}
