using System.Net.Http.Json;
using System.Text.Json;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeVision.Daemon.Tests.Teach;

/// <summary>
/// The real daemon in process (the host the run command starts: frame loop, shipped model, HTTP) with file
/// sources, its dataset root, taught directory and feature cache in a scratch directory.
/// </summary>
internal sealed class TeachDaemon : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TeachDaemon(WebApplication app, Scratch scratch, HttpClient client)
    {
        _app = app;
        Scratch = scratch;
        Client = client;
    }

    public Scratch Scratch { get; }
    public HttpClient Client { get; }
    public string DatasetRoot => Scratch.File("dataset");
    public string TaughtDirectory => Scratch.File("taught");
    public IServiceProvider Services => _app.Services;

    public static async Task<TeachDaemon> StartAsync(IEnumerable<string> sources, params string[] extra)
    {
        var scratch = new Scratch();
        string model = RepoPaths.ShippedModel;
        Assert.True(File.Exists(model), $"the shipped model {model} is missing");
        var app = DaemonHost.Build(
        [
            "--contentRoot", scratch.Path,
            "--Model:Path=" + model,
            "--Model:Directory=" + Path.GetDirectoryName(model),
            "--Model:Watch=false",
            "--Http:Port=0",
            "--Http:DatasetRoot=" + scratch.File("dataset"),
            "--Teach:Directory=" + scratch.File("taught"),
            "--Teach:CacheDirectory=" + scratch.File("cache"),
            "--Window:Enabled=false",
            "--Inference:Providers:0=CPU",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:EdgeVision.Daemon.Teaching=Information",
            .. TeachScenes.SourceArguments(scratch.Path, sources),
            .. extra,
        ]);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        var daemon = new TeachDaemon(app, scratch, client);
        await daemon.WaitForPredictionsAsync(sources.Count());
        return daemon;
    }

    /// <summary>Until every source has a prediction (frames flow through the model).</summary>
    public async Task WaitForPredictionsAsync(int sources)
    {
        for (int i = 0; i < 600; i++)
        {
            var predictions = await GetJsonAsync("/api/predictions");
            if (predictions.EnumerateObject().Count() >= sources) return;
            await Task.Delay(100);
        }
        throw new TimeoutException("no predictions from every source within 60 s");
    }

    public async Task<JsonElement> GetJsonAsync(string path) => JsonDocument.Parse(await Client.GetStringAsync(path)).RootElement.Clone();

    public async Task<(int Status, JsonElement Body)> PostJsonAsync(string path, object? body)
    {
        using var response = body is null ? await Client.PostAsync(path, null) : await Client.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>Polls the job until it has finished (or <paramref name="timeout"/>).</summary>
    public async Task<JsonElement> WaitForJobAsync(string id, TimeSpan timeout, Func<JsonElement, bool>? until = null)
    {
        until ??= j => j.GetProperty("state").GetString() != "running";
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await GetJsonAsync($"/api/teach/{id}");
            if (until(job)) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"teach job {id} did not get there within {timeout}: {job}");
            await Task.Delay(50);
        }
    }

    /// <summary>Frames inferred so far over every source (Prometheus counter).</summary>
    public async Task<double> FramesInferredAsync()
    {
        var metrics = PrometheusParser.Parse(await Client.GetStringAsync("/metrics"));
        return metrics["edgevision_frames_inferred_total"].Samples.Sum(s => s.Value);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Scratch.Dispose();
    }
}
