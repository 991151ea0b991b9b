using EdgeVision.Daemon.Http;

namespace EdgeVision.Daemon;

/// <summary>
/// Builds the daemon's web host: configuration from appsettings.json, then EDGEVISION__Section__Key
/// environment variables, then --Section:Key=value arguments (last wins); the host's services and HTTP.
/// Program and the in-process tests use the same builder.
/// </summary>
public static class DaemonHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddEnvironmentVariables("EDGEVISION__");
        builder.Configuration.AddCommandLine(args);
        builder.Services.AddEdgeVisionDaemon(builder.Configuration);
        builder.Services.AddEdgeVisionHttp(builder.Configuration);
        // SIGTERM must end the process within 5 s: sources, sessions and streams get 4 s to let go.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(4));
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapEdgeVisionHttp();
        app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Log(app));
        return app;
    }
}
