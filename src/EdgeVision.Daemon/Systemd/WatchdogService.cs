using System.Globalization;
using EdgeVision.Daemon.FrameLoop;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeVision.Daemon.Systemd;

/// <summary>
/// Feeds systemd's watchdog (WatchdogSec=) with WATCHDOG=1 every half of WATCHDOG_USEC, but only while
/// frames flow through inference: a wedged camera or a hung session then gets the service restarted,
/// which a timer that pinged unconditionally would hide. The hosting package sends no watchdog pings.
/// </summary>
public sealed class WatchdogService(FlowMonitor flow, ISystemdNotifier notifier, ILogger<WatchdogService> logger) : BackgroundService
{
    private static readonly ServiceState Watchdog = new("WATCHDOG=1");

    /// <summary>Half of WATCHDOG_USEC when it is meant for this process, else null.</summary>
    public static TimeSpan? Interval()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        string? pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        if (!long.TryParse(usec, NumberStyles.Integer, CultureInfo.InvariantCulture, out long us) || us <= 0) return null;
        if (pid is not null && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) return null;
        return TimeSpan.FromTicks(us * 10 / 2);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval() is not { } interval) return;
        if (!notifier.IsEnabled) return;
        logger.LogInformation("systemd watchdog: pinging every {Interval} ms while frames flow", interval.TotalMilliseconds);
        using var timer = new PeriodicTimer(interval);
        bool wasFlowing = true;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            bool flowing = flow.FramesFlowing;
            if (flowing) notifier.Notify(Watchdog);
            else if (wasFlowing) logger.LogWarning("No frames are flowing; withholding watchdog pings");
            wasFlowing = flowing;
        }
    }
}
