using System.Net.Http.Json;
using System.Text.Json;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;

namespace EdgeVision.Daemon.Tests.Teach;

/// <summary>
/// The real daemon in process (the host the run command starts: frame loop, shipped model, HTTP) with file
/// sources, its dataset root, taught directory and feature cache in a scratch directory.
/// </summary>
internal sealed class TeachDaemon : ScratchDaemon
{
    private TeachDaemon(Started started) : base(started)
    {
    }

    public static async Task<TeachDaemon> StartAsync(IEnumerable<string> sources, params string[] extra)
    {
        var scratch = new Scratch();
        string model = RepoPaths.ShippedModel;
        Assert.True(File.Exists(model), $"the shipped model {model} is missing");
        string[] args =
        [
            .. DaemonArguments.InProcess(scratch.Path, model, watchDebounceMs: null),
            .. DaemonArguments.StateUnder(scratch.Path),
            "--Logging:LogLevel:EdgeVision.Daemon.Teaching=Information",
            .. TeachScenes.SourceArguments(scratch.Path, sources),
            .. extra,
        ];
        var daemon = new TeachDaemon(await StartAsync(scratch, args, probe: false));
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
}
