using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Streaming;
using Microsoft.Extensions.Options;
using OpenCvSharp;

namespace EdgeVision.Daemon.Http;

/// <summary>MJPEG streams (annotated and raw) and single-frame snapshots of each source.</summary>
internal static class StreamEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/stream/{source}", (HttpContext context, string source) => StreamAsync(context, source, StreamKind.Annotated));
        app.MapGet("/stream/{source}/raw", (HttpContext context, string source) => StreamAsync(context, source, StreamKind.Raw));
        app.MapGet("/snapshot/{source}.jpg", Snapshot);
        app.MapGet("/snapshot/{source}/raw.jpg", RawSnapshot);
    }

    /// <summary>Why a source name is not served, or null when it is (configured, or publishing frames).</summary>
    public static string? UnknownSource(string source, IDaemonControl control, StreamHub hub)
    {
        if (control.SourceNames.Contains(source, StringComparer.Ordinal) || hub.HasSource(source)) return null;
        var known = control.SourceNames.Union(hub.Sources).ToArray();
        string shown = source.Length <= 64 ? source : source[..64] + "…";
        return known.Length == 0
            ? $"unknown source '{shown}': no sources are configured"
            : $"unknown source '{shown}'; known sources: {string.Join(", ", known)}";
    }

    private static async Task StreamAsync(HttpContext context, string source, StreamKind kind)
    {
        var services = context.RequestServices;
        var hub = services.GetRequiredService<StreamHub>();
        var options = services.GetRequiredService<IOptions<HttpOptions>>().Value;
        if (UnknownSource(source, services.GetRequiredService<IDaemonControl>(), hub) is { } unknown)
        {
            await HttpErrors.Write(context, StatusCodes.Status404NotFound, unknown);
            return;
        }
        var (query, error) = StreamQuery.Parse(context.Request.Query, options);
        if (error is not null)
        {
            await HttpErrors.Write(context, StatusCodes.Status400BadRequest, error);
            return;
        }
        var slots = services.GetRequiredService<StreamSlots>();
        if (!slots.TryEnter())
        {
            hub.Metrics.StreamClientRejected(kind == StreamKind.Raw ? "mjpeg_raw" : "mjpeg");
            context.Response.Headers.RetryAfter = "5";
            await HttpErrors.Write(context, StatusCodes.Status429TooManyRequests,
                $"stream limit reached: {slots.Max} clients are already watching (Http:MaxStreamClients)");
            return;
        }
        try
        {
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("EdgeVision.Daemon.Http.Mjpeg");
            var client = new MjpegClient(context, hub.GetOrAdd(source), kind, query,
                TimeSpan.FromSeconds(options.StreamSendTimeoutSeconds), hub.Metrics, logger);
            await client.RunAsync();
        }
        finally
        {
            slots.Exit();
        }
    }

    private static IResult Snapshot(string source, StreamHub hub, IDaemonControl control)
    {
        if (UnknownSource(source, control, hub) is { } unknown) return HttpErrors.Result(StatusCodes.Status404NotFound, unknown);
        byte[]? jpeg = hub.Snapshot(source);
        return jpeg is null
            ? HttpErrors.Result(StatusCodes.Status503ServiceUnavailable, $"source '{source}' has not produced an annotated frame yet")
            : NoCache(Results.File(jpeg, "image/jpeg"));
    }

    private static IResult RawSnapshot(string source, StreamHub hub, IDaemonControl control, IOptions<HttpOptions> options)
    {
        if (UnknownSource(source, control, hub) is { } unknown) return HttpErrors.Result(StatusCodes.Status404NotFound, unknown);
        using var frame = new Mat();
        if (!control.TryGetRawFrame(source, frame) || frame.Empty())
            return HttpErrors.Result(StatusCodes.Status503ServiceUnavailable, $"source '{source}' has not produced a frame yet");
        Cv2.ImEncode(".jpg", frame, out byte[] jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, options.Value.JpegQuality));
        return NoCache(Results.File(jpeg, "image/jpeg"));
    }

    private static IResult NoCache(IResult inner) => new NoCacheResult(inner);

    private sealed class NoCacheResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
