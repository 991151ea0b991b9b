using EdgeVision.Daemon.Dataset;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Options;
using EdgeVision.Daemon.Streaming;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeVision.Daemon.Http;

/// <summary>The HTTP surface in two calls: services (with validated options) and endpoints.</summary>
public static class HttpServiceExtensions
{
    public static IServiceCollection AddEdgeVisionHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpOptions>().Bind(configuration.GetSection(HttpOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpOptions>>(new SectionValidator<HttpOptions>(HttpOptions.SectionName));
        services.AddDaemonTelemetry(configuration);
        services.TryAddSingleton(sp => new StreamHub(sp.GetRequiredService<IOptions<HttpOptions>>().Value.JpegQuality, sp.GetRequiredService<DaemonMetrics>()));
        services.TryAddSingleton(sp => new LabelledFrameWriter(
            sp.GetRequiredService<IOptions<HttpOptions>>(), sp.GetRequiredService<DaemonMetrics>(), sp.GetRequiredService<ILogger<LabelledFrameWriter>>()));
        services.TryAddSingleton<AccessToken>();
        services.TryAddSingleton<StreamSlots>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();
        services.AddWriteRateLimit();
        services.AddHostedService<ViewerAddressReporter>();
        return services;
    }

    public static WebApplication MapEdgeVisionHttp(this WebApplication app)
    {
        app.UseMiddleware<StreamShutdown>();
        app.UseMiddleware<TokenGate>();
        // After the token gate, so requests without the token are refused without spending a client's budget.
        app.UseRateLimiter();
        var http = app.Services.GetRequiredService<IOptions<HttpOptions>>().Value;
        // Pings keep idle proxies from closing a live connection; a peer that answers none is cut after the timeout.
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(http.EventHeartbeatSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(http.EventHeartbeatSeconds + http.StreamSendTimeoutSeconds),
        });
        ViewerAssets.Map(app);
        SessionCookie.Map(app);
        StreamEndpoints.Map(app);
        EventEndpoints.Map(app);
        LiveEndpoints.Map(app);
        ControlEndpoints.Map(app);
        CaptureEndpoints.Map(app);
        TeachEndpoints.Map(app);
        HealthEndpoints.Map(app);
        return app;
    }
}
