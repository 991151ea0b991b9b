using System.Collections.Concurrent;
using System.Text;

namespace EdgeVision.Daemon.Streaming;

/// <summary>
/// One event on the /api/events stream: its type (<c>prediction</c>, <c>teach</c>, …) and UTF-8 JSON data. The
/// <c>event: TYPE\ndata: </c> prefix is encoded once per type, so a prediction per frame costs no formatting.
/// </summary>
public readonly record struct ServerSentEvent(string Type, byte[] Prefix, byte[] Json)
{
    public const string PredictionType = "prediction";
    private static readonly ConcurrentDictionary<string, byte[]> Prefixes = new(StringComparer.Ordinal);

    public static ServerSentEvent Of(string type, byte[] json) =>
        new(type, Prefixes.GetOrAdd(type, t => Encoding.ASCII.GetBytes($"event: {t}\ndata: ")), json);

    public static ServerSentEvent Prediction(byte[] json) => Of(PredictionType, json);
}
