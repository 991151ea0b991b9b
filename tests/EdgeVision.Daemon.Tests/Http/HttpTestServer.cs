using EdgeVision.Daemon.Control;
using EdgeVision.Daemon.Http;
using EdgeVision.Daemon.Metrics;
using EdgeVision.Daemon.Streaming;
using EdgeVision.Daemon.Tests.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Daemon.Tests.Http;

/// <summary>
/// The real HTTP surface on a real Kestrel at 127.0.0.1 and a free port, with a fake daemon behind it and
/// a temporary dataset root that is removed afterwards.
/// </summary>
internal sealed class HttpTestServer : IAsyncDisposable
{
    public const string Source = "cam0";

    private readonly KestrelTestHost _host;

    private HttpTestServer(KestrelTestHost host, FakeDaemonControl control, string workDir)
    {
        _host = host;
        Control = control;
        WorkDir = workDir;
        BaseAddress = host.Address;
        Hub = host.Services.GetRequiredService<StreamHub>();
        Metrics = host.Services.GetRequiredService<DaemonMetrics>();
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }
    public FakeDaemonControl Control { get; }
    public StreamHub Hub { get; }
    public DaemonMetrics Metrics { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _host.Services;

    /// <summary>Holds the dataset root (<see cref="DatasetRoot"/>) and is the place nothing may escape to.</summary>
    public string WorkDir { get; }

    public string DatasetRoot => Path.Combine(WorkDir, "dataset");

    public static async Task<HttpTestServer> StartAsync(IDictionary<string, string?>? settings = null, params string[] sources)
    {
        if (sources.Length == 0) sources = [Source];
        string workDir = Path.Combine(Path.GetTempPath(), "edgevision-http-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDir);
        var config = new Dictionary<string, string?>
        {
            ["Http:Address"] = "127.0.0.1",
            ["Http:Port"] = "0",
            ["Http:DatasetRoot"] = Path.Combine(workDir, "dataset"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = workDir });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(config);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var control = new FakeDaemonControl(sources);
        builder.Services.AddSingleton<IDaemonControl>(control);
        // The teach endpoints' service (idle: no job is started here), so the viewer's Teach panel finds its API.
        builder.Services.AddSingleton<EdgeVision.Daemon.Models.ModelHost>();
        builder.Services.AddSingleton<EdgeVision.Daemon.Teaching.TeachJobs>();
        builder.Services.AddEdgeVisionHttp(builder.Configuration);
        var app = builder.Build();
        app.MapEdgeVisionHttp();
        try
        {
            return new HttpTestServer(await KestrelTestHost.StartAsync(app), control, workDir);
        }
        catch
        {
            Directory.Delete(workDir, recursive: true);
            throw;
        }
    }

    public FakeFrameProducer CreateProducer(int width = 320, int height = 240, int distinctFrames = 6, bool noisy = false)
    {
        var producer = new FakeFrameProducer(Hub, width, height, distinctFrames, noisy, [.. Control.SourceNames]);
        Control.Producer = producer;
        return producer;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        Control.Producer?.Dispose();
        try { Directory.Delete(WorkDir, recursive: true); }
        catch (IOException) { }
    }
}
