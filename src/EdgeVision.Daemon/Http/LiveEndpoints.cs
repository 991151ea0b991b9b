using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Streaming;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// <c>/api/live</c>: the viewer's one WebSocket for every tile's frames and every event. Browsers hold at most six
/// HTTP/1.1 connections per host, so one MJPEG &lt;img&gt; per camera plus an EventSource starves tiles and
/// fetches beyond five cameras; this needs one connection for any number of sources. Authenticated like any GET
/// (header, query or the viewer's session cookie) by <see cref="TokenGate"/>.
/// </summary>
internal static class LiveEndpoints
{
    public const string Path = "/api/live";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Path, RunAsync);

    private static async Task RunAsync(HttpContext context, StreamHub hub, IDaemonControl control, StreamSlots slots, AccessToken token,
        IOptions<HttpOptions> options, ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await HttpErrors.Write(context, StatusCodes.Status400BadRequest,
                $"{Path} speaks WebSocket only (GET with 'Upgrade: websocket'); MJPEG is at /stream/{{source}}, server-sent events at /api/events");
            return;
        }
        if (CrossOrigin(context.Request) is { } origin)
        {
            // The session cookie rides along on any WebSocket handshake to this host, and SameSite does not stop a
            // page on another port of the same host: only the Origin header tells such a page from the viewer.
            await HttpErrors.Write(context, StatusCodes.Status403Forbidden, $"WebSocket from origin '{origin}' refused: only the viewer's own origin may connect");
            return;
        }
        if (!slots.TryEnter())
        {
            hub.Metrics.StreamClientRejected(LiveClient.Kind);
            context.Response.Headers.RetryAfter = "5";
            await HttpErrors.Write(context, StatusCodes.Status429TooManyRequests,
                $"stream limit reached: {slots.Max} clients are already connected (Http:MaxStreamClients)");
            return;
        }
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            var client = new LiveClient(socket, context, hub, control, slots, token, options.Value,
                loggers.CreateLogger("EdgeVision.Daemon.Http.Live"));
            await client.RunAsync();
        }
        finally
        {
            slots.Exit();
        }
    }

    /// <summary>The Origin when it is present and not this server's own scheme, host and port; null otherwise.</summary>
    private static string? CrossOrigin(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        if (string.IsNullOrEmpty(origin)) return null; // not a browser (ffmpeg, a script): the token is its guard
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return origin;
        bool sameScheme = uri.Scheme == (request.IsHttps ? Uri.UriSchemeHttps : Uri.UriSchemeHttp);
        return sameScheme && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) ? null : origin;
    }
}
