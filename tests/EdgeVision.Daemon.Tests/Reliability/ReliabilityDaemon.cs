using System.Net.Http.Json;
using EdgeVision.Daemon.Tests.Host;
using EdgeVision.Daemon.Tests.Http;
using Microsoft.Extensions.Logging;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>
/// The real daemon host in process with a probe on every published frame, an HTTP client on its port and a
/// scratch directory holding its models/ (a tiny model, active.onnx), dataset root and taught directory.
/// </summary>
internal sealed class ReliabilityDaemon : ScratchDaemon
{
    public const string ActiveModel = "active.onnx";

    private ReliabilityDaemon(Started started, RecordedLog log) : base(started) => Log = log;

    public FrameProbe Probe => Daemon.Probe;
    public RecordedLog Log { get; }
    public string ModelsDirectory => Scratch.File("models");
    public string ActiveModelPath => Path.Combine(ModelsDirectory, ActiveModel);

    /// <summary>Starts with one demo source unless <paramref name="extra"/> configures sources itself.</summary>
    public static async Task<ReliabilityDaemon> StartAsync(params string[] extra)
    {
        var scratch = new Scratch();
        Directory.CreateDirectory(scratch.File("models"));
        string model = TestModels.Tiny(scratch.File("models"), ActiveModel);
        var log = new RecordedLog();
        bool hasSources = extra.Any(a => a.StartsWith("--Capture:Sources:", StringComparison.Ordinal));
        string[] args =
        [
            .. DaemonArguments.InProcess(scratch.Path, model, watchDebounceMs: 150),
            .. DaemonArguments.StateUnder(scratch.Path),
            .. hasSources ? Array.Empty<string>() : ["--Capture:Sources:0:Name=demo", "--Capture:Sources:0:Kind=Demo", "--Capture:Sources:0:Fps=20"],
            .. extra,
        ];
        var daemon = new ReliabilityDaemon(await StartAsync(scratch, args, probe: true, b => b.Logging.AddProvider(log)), log);
        if (!SpinWait.SpinUntil(() => daemon.Probe.Count > 0, TimeSpan.FromSeconds(60)))
        {
            await daemon.DisposeAsync();
            throw new TimeoutException("no frame through the model within 60 s of start");
        }
        return daemon;
    }

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
}
