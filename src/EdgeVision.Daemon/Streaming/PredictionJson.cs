using System.Buffers;
using System.Text.Json;

namespace EdgeVision.Daemon.Streaming;

/// <summary>The one JSON shape of a prediction, shared by server-sent events and <c>/api/predictions</c>.</summary>
internal static class PredictionJson
{
    public static byte[] Serialize(in PredictionUpdate update)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("source", update.Source);
            json.WriteNumber("sequence", update.Sequence);
            json.WriteStartArray("topk");
            foreach (var entry in update.TopK.Span)
            {
                json.WriteStartObject();
                json.WriteString("label", entry.Label);
                json.WriteNumber("score", float.IsFinite(entry.Score) ? Math.Round(entry.Score, 5) : 0);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("inferenceMs", Math.Round(update.InferenceMs, 3));
            json.WriteNumber("latencyMs", Math.Round(update.LatencyMs, 3));
            if (update.GroundTruth is null) json.WriteNull("groundTruth");
            else json.WriteString("groundTruth", update.GroundTruth);
            json.WriteString("timestamp", update.Timestamp);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
