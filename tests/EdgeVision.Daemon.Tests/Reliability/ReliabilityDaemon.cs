using System.Net.Http.Json;
using System.Text.Json;
using EdgeVision.Daemon.FrameLoop;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// The real daemon host in process with a probe on every published frame, an HTTP client on its port and a
/// scratch directory holding its models/ (a tiny model, active.onnx), dataset root and taught directory.
/// </summary>
internal sealed class ReliabilityDaemon : IAsyncDisposable
{
    public const string ActiveModel = "active.onnx";
    private readonly WebApplication _app;

    private ReliabilityDaemon(WebApplication app, Scratch scratch, FrameProbe probe, HttpClient client, RecordedLog log)
    {
        Log = log;
        _app = app;
        Scratch = scratch;
        Probe = probe;
        Client = client;
    }

    public Scratch Scratch { get; }
    public FrameProbe Probe { get; }
    public RecordedLog Log { get; }
    public HttpClient Client { get; }
    public IServiceProvider Services => _app.Services;
    public string ModelsDirectory => Scratch.File("models");
    public string ActiveModelPath => Path.Combine(ModelsDirectory, ActiveModel);
    public string DatasetRoot => Scratch.File("dataset");

    /// <summary>Starts with one demo source unless <paramref name="extra"/> configures sources itself.</summary>
    public static async Task<ReliabilityDaemon> StartAsync(params string[] extra)
    {
        var scratch = new Scratch();
        Directory.CreateDirectory(scratch.File("models"));
        string model = TestModels.Tiny(scratch.File("models"), ActiveModel);
        var probe = new FrameProbe();
        var log = new RecordedLog();
        bool hasSources = extra.Any(a => a.StartsWith("--Capture:Sources:", StringComparison.Ordinal));
        string[] args =
        [
            "--contentRoot", scratch.Path,
            "--Model:Path=" + model,
            "--Model:Directory=" + scratch.File("models"),
            "--Model:WatchDebounceMs=150",
            "--Http:Port=0",
            "--Http:DatasetRoot=" + scratch.File("dataset"),
            "--Teach:Directory=" + scratch.File("taught"),
            "--Teach:CacheDirectory=" + scratch.File("cache"),
            "--Window:Enabled=false",
            "--Inference:Providers:0=CPU",
            "--Logging:LogLevel:Default=Warning",
            .. hasSources ? Array.Empty<string>() : ["--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo", "--Capture:Sources:0:Fps=20"],
            .. extra,
        ];
        WebApplication app;
        try
        {
            app = DaemonHost.Build(args, b =>
            {
                b.Services.AddSingleton<IAnnotatedFrameSink>(probe);
                b.Logging.AddProvider(log);
            });
            await app.StartAsync();
        }
        catch
        {
            scratch.Dispose();
            throw;
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        var daemon = new ReliabilityDaemon(app, scratch, probe, client, log);
        if (!SpinWait.SpinUntil(() => probe.Count > 0, TimeSpan.FromSeconds(60)))
        {
            await daemon.DisposeAsync();
            throw new TimeoutException("no frame through the model within 60 s of start");
        }
        return daemon;
    }

    public async Task<JsonElement> GetJsonAsync(string path) => JsonDocument.Parse(await Client.GetStringAsync(path)).RootElement.Clone();

    public async Task<(int Status, string Body)> PostJsonAsync(string path, object body)
    {
        using var response = await Client.PostAsJsonAsync(path, body);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>One Prometheus sample, e.g. <c>edgevision_model_reloads_total</c> with <c>result="failed"</c>; 0 when absent.</summary>
    public async Task<double> MetricAsync(string family, string? labelValue = null)
    {
        var metrics = PrometheusParser.Parse(await Client.GetStringAsync("/metrics"));
        if (!metrics.TryGetValue(family, out var f)) return 0;
        return f.Samples.Where(s => labelValue is null || s.Labels.Values.Contains(labelValue)).Sum(s => s.Value);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Scratch.Dispose();
    }
}
