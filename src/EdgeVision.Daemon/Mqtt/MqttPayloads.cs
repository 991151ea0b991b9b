using System.Buffers;
using System.Text.Json;
using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.FrameLoop;

namespace EdgeVision.Daemon.Mqtt;

/// <summary>
/// The JSON of every message the daemon publishes (docs/MQTT.md is the schema; field names are stable:
/// subscribers and Home Assistant templates depend on them). Written only when a message is due, never per frame.
/// </summary>
public static class MqttPayloads
{
    public const string Online = "online";
    public const string Offline = "offline";

    /// <summary><c>&lt;prefix&gt;/&lt;source&gt;/state</c>: the smoothed top-k of one source's frame.</summary>
    public static byte[] State(FrameReport report, DateTimeOffset capturedAt, DateTimeOffset now) => Write(json =>
    {
        json.WriteString("source", report.Source);
        if (report.TopCount > 0)
        {
            json.WriteString("label", report.Labels[report.TopIndices[0]]);
            json.WriteNumber("score", Score(report.TopScores[0]));
        }
        else
        {
            json.WriteNull("label");
            json.WriteNull("score");
        }
        json.WriteStartArray("topk");
        for (int i = 0; i < report.TopCount; i++)
        {
            json.WriteStartObject();
            json.WriteString("label", report.Labels[report.TopIndices[i]]);
            json.WriteNumber("score", Score(report.TopScores[i]));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteBoolean("signal", !report.NoSignal);
        json.WriteString("model", report.Model.Name);
        json.WriteString("precision", report.Model.PrecisionName);
        json.WriteString("provider", report.Model.Provider);
        json.WriteNumber("frameId", report.Sequence);
        json.WriteString("captureTime", capturedAt);
        json.WriteString("time", now);
    });

    /// <summary><c>&lt;prefix&gt;/status</c>: the device's sources, their frame rates and the model serving.</summary>
    public static byte[] Status(string device, DaemonStatus status, DateTimeOffset now) => Write(json =>
    {
        json.WriteString("device", device);
        json.WriteStartObject("model");
        json.WriteString("name", status.Model.Name);
        json.WriteString("precision", status.Model.Precision);
        json.WriteString("provider", status.Model.Provider);
        json.WriteEndObject();
        json.WriteStartArray("sources");
        foreach (var s in status.Sources)
        {
            json.WriteStartObject();
            json.WriteString("name", s.Name);
            json.WriteString("state", s.State);
            json.WriteNumber("fps", s.Fps);
            json.WriteNumber("captured", s.Captured);
            json.WriteNumber("dropped", s.Dropped);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNumber("fps", Math.Round(status.Sources.Sum(s => s.Fps), 1));
        json.WriteBoolean("framesFlowing", status.FramesFlowing);
        json.WriteNumber("uptimeSeconds", Math.Round(status.Uptime.TotalSeconds, 1));
        json.WriteString("time", now);
    });

    /// <summary>Home Assistant discovery of the sensor whose state is a source's top-1 label.</summary>
    public static byte[] LabelDiscovery(MqttTopics topics, string source) => Discovery(topics, source, source, "", json =>
    {
        json.WriteString("value_template", "{{ value_json.label }}");
        json.WriteString("json_attributes_topic", topics.State(source));
        json.WriteString("icon", "mdi:cctv");
    });

    /// <summary>Home Assistant discovery of the sensor whose state is a source's top-1 confidence in percent.</summary>
    public static byte[] ConfidenceDiscovery(MqttTopics topics, string source) => Discovery(topics, source, source + " confidence", "_confidence", json =>
    {
        json.WriteString("value_template", "{{ (value_json.score * 100) | round(1) if value_json.score is not none else none }}");
        json.WriteString("unit_of_measurement", "%");
        json.WriteString("state_class", "measurement");
        json.WriteString("icon", "mdi:percent");
    });

    private static byte[] Discovery(MqttTopics topics, string source, string name, string idSuffix, Action<Utf8JsonWriter> sensor) => Write(json =>
    {
        json.WriteString("name", name);
        json.WriteString("unique_id", $"{topics.Device}_{MqttTopics.Sanitize(source)}{idSuffix}");
        json.WriteString("state_topic", topics.State(source));
        sensor(json);
        json.WriteString("availability_topic", topics.Availability);
        json.WriteString("payload_available", Online);
        json.WriteString("payload_not_available", Offline);
        json.WriteStartObject("device");
        json.WriteStartArray("identifiers");
        json.WriteStringValue("edgevision_" + topics.Device);
        json.WriteEndArray();
        json.WriteString("name", "EdgeVision " + topics.Device);
        json.WriteString("manufacturer", "EdgeVision");
        json.WriteString("model", "edgevisiond");
        json.WriteEndObject();
    });

    private static double Score(float score) => float.IsFinite(score) ? Math.Round(score, 5) : 0;

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
