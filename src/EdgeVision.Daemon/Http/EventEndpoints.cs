using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeVision.Daemon.Streaming;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// Predictions as JSON: the newest per source, and a server-sent event per shown frame per source, plus every
/// other event type the hub publishes (<see cref="StreamHub.PublishEvent"/>) under its own <c>event:</c> name.
/// </summary>
internal static class EventEndpoints
{
    private static readonly byte[] EventField = Encoding.ASCII.GetBytes("event: ");
    private static readonly byte[] DataField = Encoding.ASCII.GetBytes("\ndata: ");
    private static readonly byte[] EventEnd = Encoding.ASCII.GetBytes("\n\n");
    private static readonly byte[] Heartbeat = Encoding.ASCII.GetBytes(": heartbeat\n\n");
    private static readonly byte[] Hello = Encoding.ASCII.GetBytes("retry: 2000\n: edgevision predictions\n\n");

    public const string EventsPath = "/api/events";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/predictions", Latest);
        app.MapGet(EventsPath, EventsAsync);
    }

    /// <summary>The stored JSON documents are spliced in as they are: serialized once by the hub.</summary>
    private static async Task Latest(HttpContext context, StreamHub hub)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (source, document) in hub.LatestPredictions())
            {
                json.WritePropertyName(source);
                json.WriteRawValue(document, skipInputValidation: true);
            }
            json.WriteEndObject();
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    private static async Task EventsAsync(HttpContext context, StreamHub hub, StreamSlots slots, IOptions<HttpOptions> options, ILoggerFactory loggers)
    {
        if (!slots.TryEnter())
        {
            hub.Metrics.StreamClientRejected("sse");
            context.Response.Headers.RetryAfter = "5";
            await HttpErrors.Write(context, StatusCodes.Status429TooManyRequests,
                $"stream limit reached: {slots.Max} clients are already connected (Http:MaxStreamClients)");
            return;
        }
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var heartbeat = TimeSpan.FromSeconds(options.Value.EventHeartbeatSeconds);
        var sendTimeout = TimeSpan.FromSeconds(options.Value.StreamSendTimeoutSeconds);
        using var send = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        using var subscription = hub.Subscribe();
        hub.Metrics.StreamClientOpened("sse");
        try
        {
            await WriteAsync(response, send, sendTimeout, Hello);
            // A new viewer shows something at once instead of waiting for the next inference.
            foreach (var (_, document) in hub.LatestPredictions())
                await WriteEventAsync(response, send, sendTimeout, new ServerEvent(StreamHub.PredictionEventType, document));

            var reader = subscription.Events;
            Task<bool>? waiting = null;
            while (!context.RequestAborted.IsCancellationRequested)
            {
                while (reader.TryRead(out var e)) await WriteEventAsync(response, send, sendTimeout, e);
                waiting ??= reader.WaitToReadAsync(context.RequestAborted).AsTask();
                try
                {
                    // WaitAsync disposes its timer when the wait ends, so busy streams leave no timers behind.
                    if (!await waiting.WaitAsync(heartbeat, context.RequestAborted)) break;
                    waiting = null;
                }
                catch (TimeoutException)
                {
                    await WriteAsync(response, send, sendTimeout, Heartbeat);
                }
            }
        }
        catch (OperationCanceledException) when (send.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            hub.Metrics.StreamClientDropped("sse");
            loggers.CreateLogger("EdgeVision.Daemon.Http.Events").LogInformation(
                "Dropped event-stream client {Remote}: it took nothing for {Timeout}s", context.Connection.RemoteIpAddress, sendTimeout.TotalSeconds);
            context.Abort();
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        catch (IOException)
        {
            // Connection reset while writing.
        }
        finally
        {
            hub.Metrics.StreamFramesSkipped("sse", subscription.Dropped);
            hub.Metrics.StreamClientClosed("sse");
            slots.Exit();
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, CancellationTokenSource send, TimeSpan timeout, ServerEvent e)
    {
        // The type was checked when published (ServerEvent.TypeError): ASCII without line breaks.
        response.BodyWriter.Write(EventField);
        Encoding.ASCII.GetBytes(e.Type, response.BodyWriter);
        response.BodyWriter.Write(DataField);
        response.BodyWriter.Write(e.Json);
        await WriteAsync(response, send, timeout, EventEnd);
    }

    private static async Task WriteAsync(HttpResponse response, CancellationTokenSource send, TimeSpan timeout, byte[] bytes)
    {
        send.CancelAfter(timeout);
        var result = await response.BodyWriter.WriteAsync(bytes, send.Token);
        if (result.IsCanceled) throw new OperationCanceledException(send.Token);
        send.CancelAfter(Timeout.InfiniteTimeSpan);
    }
}
