using EdgeVision.Daemon.FrameLoop;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>The daemon's real host built in the test process, with a probe sink that sees every published frame.</summary>
internal sealed class InProcessDaemon : IAsyncDisposable
{
    private readonly KestrelTestHost _host;
    private readonly FrameProbe? _probe;

    private InProcessDaemon(KestrelTestHost host, FrameProbe? probe)
    {
        _host = host;
        _probe = probe;
    }

    public FrameProbe Probe => _probe ?? throw new InvalidOperationException("this daemon was started without a frame probe");
    public IServiceProvider Services => _host.Services;
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>The daemon's HTTP address (Kestrel on a free loopback port).</summary>
    public Uri Address => _host.Address;

    /// <summary>GET /metrics as a Prometheus server would read it, so a test checks the series where users read them.</summary>
    public string ScrapeMetrics()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        return http.GetStringAsync("/metrics").GetAwaiter().GetResult();
    }

    /// <summary>Starts a daemon serving <paramref name="modelPath"/>; <paramref name="extra"/> are more --Key=value args.</summary>
    public static Task<InProcessDaemon> StartAsync(string contentRoot, string modelPath, params string[] extra) =>
        StartAsync([.. DaemonArguments.InProcess(contentRoot, modelPath, watchDebounceMs: 200), .. extra]);

    /// <summary>Starts the host on <paramref name="args"/> (see <see cref="DaemonArguments"/>).</summary>
    /// <param name="probe">False where a test measures the frame loop: the probe copies every published frame.</param>
    /// <param name="configure">More services or logging before the host is built.</param>
    public static async Task<InProcessDaemon> StartAsync(IEnumerable<string> args, bool probe = true, Action<WebApplicationBuilder>? configure = null)
    {
        var frames = probe ? new FrameProbe() : null;
        var app = DaemonHost.Build([.. args], b =>
        {
            if (frames is not null) b.Services.AddSingleton<IAnnotatedFrameSink>(frames);
            configure?.Invoke(b);
        });
        return new InProcessDaemon(await KestrelTestHost.StartAsync(app), frames);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
