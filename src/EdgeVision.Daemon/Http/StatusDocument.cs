using System.Text.Json;
using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Streaming;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// The one shape of the daemon's status: <c>GET /api/status</c> returns it and the live WebSocket pushes it as its
/// <c>status</c> event, so the viewer reads the same fields whichever way it came.
/// </summary>
internal static class StatusDocument
{
    public static object Create(IDaemonControl control, StreamHub hub, StreamSlots slots, AccessToken token)
    {
        var status = control.GetStatus();
        return new
        {
            sources = status.Sources,
            model = status.Model,
            uptimeSeconds = Math.Round(status.Uptime.TotalSeconds, 1),
            framesFlowing = status.FramesFlowing,
            framesInferred = status.FramesInferred,
            streamClients = slots.InUse,
            maxStreamClients = slots.Max,
            eventClients = hub.SubscriberCount,
            tokenRequired = token.Required,
        };
    }

    /// <summary>UTF-8 JSON on one line, with the web defaults (camelCase) that <c>Results.Json</c> uses.</summary>
    public static byte[] Serialize(IDaemonControl control, StreamHub hub, StreamSlots slots, AccessToken token) =>
        JsonSerializer.SerializeToUtf8Bytes(Create(control, hub, slots, token), JsonSerializerOptions.Web);
}
