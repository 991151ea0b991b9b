using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Metrics;

namespace EdgeVision.Daemon.Http;

/// <summary>Liveness, readiness and Prometheus metrics (OpenTelemetry's exporter, see TelemetryRegistration).</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok\n", "text/plain"));
        app.MapGet("/readyz", Ready);
        app.MapDaemonMetrics();
    }

    private static IResult Ready(IDaemonControl control)
    {
        var status = control.GetStatus();
        if (string.IsNullOrEmpty(status.Model.Name))
            return HttpErrors.Result(StatusCodes.Status503ServiceUnavailable, "not ready: no model is loaded");
        if (!status.FramesFlowing)
            return HttpErrors.Result(StatusCodes.Status503ServiceUnavailable, "not ready: no frames are flowing through the model");
        return Results.Json(new { ready = true, model = status.Model.Name, provider = status.Model.Provider });
    }
}
