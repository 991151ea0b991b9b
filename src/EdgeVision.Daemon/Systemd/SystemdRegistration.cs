using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeVision.Daemon.Systemd;

public static class SystemdRegistration
{
    /// <summary>
    /// Type=notify support: READY=1 when started and STOPPING=1 on shutdown come from the hosting package's
    /// <see cref="SystemdLifetime"/>. UseSystemd() only switches it on when the parent process is systemd;
    /// sd_notify(3)'s contract is simply "notify when $NOTIFY_SOCKET is set", so the daemon also enables it
    /// then (which is what makes it testable with a fake socket, and work under wrappers).
    /// </summary>
    public static IServiceCollection AddSystemdNotify(this IServiceCollection services)
    {
        services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }
        // Outside systemd the notifier is still there for the watchdog, disabled (no $NOTIFY_SOCKET).
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.AddHostedService<WatchdogService>();
        return services;
    }
}
