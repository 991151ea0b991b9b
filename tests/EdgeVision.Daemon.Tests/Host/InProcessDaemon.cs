using EdgeVision.Daemon.FrameLoop;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeVision.Daemon.Tests.Host;

/// <summary>The daemon's real host built in the test process, with a probe sink that sees every published frame.</summary>
internal sealed class InProcessDaemon : IAsyncDisposable
{
    private InProcessDaemon(WebApplication app, FrameProbe probe)
    {
        App = app;
        Probe = probe;
    }

    public WebApplication App { get; }
    public FrameProbe Probe { get; }
    public IServiceProvider Services => App.Services;
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>The daemon's HTTP address (Kestrel on a free loopback port).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>GET /metrics as a Prometheus server would read it, so a test checks the series where users read them.</summary>
    public string ScrapeMetrics()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        return http.GetStringAsync("/metrics").GetAwaiter().GetResult();
    }

    /// <summary>Starts a daemon serving <paramref name="modelPath"/>; <paramref name="extra"/> are more --Key=value args.</summary>
    public static async Task<InProcessDaemon> StartAsync(string contentRoot, string modelPath, params string[] extra)
    {
        var probe = new FrameProbe();
        string[] args =
        [
            "--contentRoot", contentRoot,
            "--Model:Path=" + modelPath,
            "--Model:Directory=" + Path.GetDirectoryName(modelPath),
            "--Model:WatchDebounceMs=200",
            "--Http:Port=0",
            "--Window:Enabled=false",
            "--Inference:Providers:0=CPU",
            "--Logging:LogLevel:Default=Warning",
            .. extra,
        ];
        var app = DaemonHost.Build(args, b => b.Services.AddSingleton<IAnnotatedFrameSink>(probe));
        await app.StartAsync();
        return new InProcessDaemon(app, probe);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
