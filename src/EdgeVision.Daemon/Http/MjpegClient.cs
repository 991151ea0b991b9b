using System.Buffers;
using System.Diagnostics;
using System.Text;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Streaming;
using Microsoft.AspNetCore.Http.Features;

namespace EdgeVision.Daemon.Http;

/// <summary>
/// Sends one feed to one HTTP client as multipart/x-mixed-replace. The client only ever holds the frame it
/// is sending: when it is slow it skips to the newest frame (and the skip is counted), and when it stops
/// reading it is disconnected after the send timeout instead of being buffered for.
/// </summary>
internal sealed class MjpegClient(HttpContext context, SourceStreams streams, StreamKind kind, StreamQuery query,
    TimeSpan sendTimeout, DaemonMetrics metrics, ILogger logger)
{
    public const string Boundary = "edgevisionframe";

    private static readonly byte[] FirstBoundary = Encoding.ASCII.GetBytes($"--{Boundary}\r\n");
    private static readonly byte[] PartEnd = Encoding.ASCII.GetBytes($"\r\n--{Boundary}\r\n");

    private readonly string _kindName = kind == StreamKind.Raw ? "mjpeg_raw" : "mjpeg";
    private long _sent;
    private long _skipped;

    // When the pending frame write started (0: none pending). A connection that ends while a write has been
    // pending for half the send timeout or more belonged to a client that stopped reading: it was cut off (by our
    // send timeout or by Kestrel's minimum data rate, whichever fired first) and counts as dropped. A reading
    // client that closes mid-frame never has a write pending that long.
    private long _sendStarted;

    public async Task RunAsync()
    {
        var feed = streams.Feed(kind);
        var response = context.Response;
        response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
        response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
        response.Headers.Pragma = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        using var send = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var interval = TimeSpan.FromSeconds(1.0 / query.Fps);
        long last = -1;
        feed.AddReader();
        metrics.StreamClientOpened(_kindName);
        try
        {
            send.CancelAfter(sendTimeout);
            await response.BodyWriter.WriteAsync(FirstBoundary, send.Token).ConfigureAwait(false);
            send.CancelAfter(Timeout.InfiniteTimeSpan);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                var frame = await feed.WaitNewerAsync(last, context.RequestAborted).ConfigureAwait(false);
                long started = Stopwatch.GetTimestamp();
                try
                {
                    if (last >= 0 && frame.Sequence > last + 1)
                    {
                        long skipped = frame.Sequence - last - 1;
                        _skipped += skipped;
                        metrics.StreamFramesSkipped(_kindName, skipped);
                    }
                    last = frame.Sequence;
                    send.CancelAfter(sendTimeout);
                    _sendStarted = Stopwatch.GetTimestamp();
                    await SendAsync(frame, send.Token).ConfigureAwait(false);
                    _sendStarted = 0;
                    send.CancelAfter(Timeout.InfiniteTimeSpan);
                    _sent++;
                }
                finally
                {
                    frame.Release();
                }
                var remaining = interval - Stopwatch.GetElapsedTime(started);
                if (remaining > TimeSpan.Zero) await Task.Delay(remaining, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (send.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            metrics.StreamClientDropped(_kindName);
            logger.LogInformation("Dropped {Stream} client {Remote} of {Source}: it took no frame for {Timeout}s ({Sent} sent, {Skipped} skipped)",
                _kindName, context.Connection.RemoteIpAddress, streams.Name, sendTimeout.TotalSeconds, _sent, _skipped);
            context.Abort();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // Between frames this is the client leaving: the normal end of a stream. During a write it is a
            // client that stopped reading and was cut off by Kestrel's minimum data rate.
            if (_sendStarted != 0 && Stopwatch.GetElapsedTime(_sendStarted) >= sendTimeout / 2)
            {
                metrics.StreamClientDropped(_kindName);
                logger.LogInformation("Dropped {Stream} client {Remote} of {Source}: cut off while a frame was pending ({Sent} sent, {Skipped} skipped)",
                    _kindName, context.Connection.RemoteIpAddress, streams.Name, _sent, _skipped);
            }
        }
        finally
        {
            feed.RemoveReader();
            metrics.StreamClientClosed(_kindName);
            logger.LogDebug("{Stream} client {Remote} of {Source} left: {Sent} frames sent, {Skipped} skipped",
                _kindName, context.Connection.RemoteIpAddress, streams.Name, _sent, _skipped);
        }
    }

    private async ValueTask SendAsync(SharedJpeg frame, CancellationToken ct)
    {
        SharedJpeg toSend = query.Width > 0 ? streams.Scaled(kind).GetScaled(frame, query.Width) : frame;
        try
        {
            var writer = context.Response.BodyWriter;
            var header = writer.GetSpan(128);
            int headerLength = Encoding.ASCII.GetBytes(
                $"Content-Type: image/jpeg\r\nContent-Length: {toSend.Bytes.Length}\r\nX-Frame-Sequence: {toSend.Sequence}\r\n\r\n", header);
            writer.Advance(headerLength);
            writer.Write(toSend.Bytes.Span);
            writer.Write(PartEnd);
            metrics.StreamBytesSent(_kindName, headerLength + toSend.Bytes.Length + PartEnd.Length);
            var flush = await writer.FlushAsync(ct).ConfigureAwait(false);
            if (flush.IsCanceled) throw new OperationCanceledException(ct);
        }
        finally
        {
            // GetScaled hands out its own reference, even when it returns the source frame unscaled.
            if (query.Width > 0) toSend.Release();
        }
    }
}
