using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Mqtt;
using EdgeVision.Daemon.Options;
using EdgeVision.Daemon.Recording;
using EdgeVision.Daemon.Systemd;
using EdgeVision.Daemon.Teaching;
using EdgeVision.Daemon.Window;

namespace EdgeVision.Daemon;

/// <summary>Everything the host owns: options, sources, models, the frame loop, systemd, window, recording.</summary>
public static class DaemonServices
{
    public static IServiceCollection AddEdgeVisionDaemon(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDaemonOptions(configuration);
        services.AddSingleton<CaptureSources>();
        services.AddSingleton(sp => new LatestRawFrames(sp.GetRequiredService<CaptureSources>().Runners.Count));
        services.AddSingleton<ModelHost>();
        services.AddSingleton<FlowMonitor>();
        services.AddSingleton<LoopControl>();
        services.AddSingleton<HudToggles>();
        services.AddSingleton<IDaemonControl, DaemonControl>();
        services.AddSingleton<IAnnotatedFrameSink, StreamHubSink>();
        services.AddSingleton<AnnotatedRecorder>();
        services.AddSingleton<IAnnotatedFrameSink>(sp => sp.GetRequiredService<AnnotatedRecorder>());
        services.AddSingleton<LocalWindow>();
        services.AddSingleton<IAnnotatedFrameSink>(sp => sp.GetRequiredService<LocalWindow>());
        services.AddSingleton<FrameLoopService>();
        services.AddHostedService(sp => sp.GetRequiredService<FrameLoopService>());
        services.AddHostedService<ModelFileWatcher>();
        services.AddSingleton<TeachJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<TeachJobs>());
        services.AddHostedService(sp => sp.GetRequiredService<LocalWindow>());
        services.AddSystemdNotify();
        // Predictions and status to an MQTT broker (issue 14), only when Mqtt:Host is set.
        services.AddMqttPublisher(configuration);
        return services;
    }
}
