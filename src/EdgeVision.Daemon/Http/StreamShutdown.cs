namespace EdgeVision.Daemon.Http;

/// <summary>
/// Ends the endless responses (MJPEG streams, server-sent events, the live WebSocket) as soon as the daemon
/// begins to stop. They otherwise end only when their client goes, so Kestrel's graceful stop waited for them
/// until the host's whole shutdown timeout (4 s) before aborting, and with one viewer open SIGTERM → exit took
/// longer than the 5 s systemd's unit and the watchdog expect (SignalTests caught it with 50 clients).
/// </summary>
internal sealed class StreamShutdown(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsEndless(context.Request.Path))
        {
            await next(context);
            return;
        }
        // Aborting the connection fires RequestAborted, which every stream loop already waits on.
        using var stopping = lifetime.ApplicationStopping.Register(static c => ((HttpContext)c!).Abort(), context);
        await next(context);
    }

    private static bool IsEndless(PathString path) =>
        path.StartsWithSegments("/stream") || path == EventEndpoints.EventsPath || path == LiveEndpoints.Path;
}
