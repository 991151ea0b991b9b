using System.Globalization;
using System.Text;
using EdgeVision.Inference;

namespace EdgeVision.Daemon.Diagnostics;

/// <summary>The Markdown section <c>--bench</c> prints and appends to docs/BENCHMARKS.md: the machine, the command, two tables.</summary>
internal sealed class DaemonBenchReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly StringBuilder _report = new();
    private readonly StringBuilder _sources = new();

    public DaemonBenchReport(string provider, double seconds, int rounds, double defaultViewFps)
    {
        _report.AppendLine(Invariant, $"## Daemon: frame loop vs model ({(provider == ExecutionProviders.Cpu ? "" : provider + ", ")}{DateTime.UtcNow:yyyy-MM-dd})");
        _report.AppendLine();
        _report.AppendLine(Invariant,
            $"Machine: {Environment.ProcessorCount} logical cores ({Environment.OSVersion.VersionString}), {provider} execution provider, .NET {Environment.Version}. ");
        _report.AppendLine("Command: `dotnet src/EdgeVision.Daemon/bin/Release/net10.0/edgevisiond.dll --bench --bench-out docs/BENCHMARKS.md` " +
                          $"({seconds:0.#} s per measurement; {rounds} paired rounds per row, each daemon run against a fresh model-only session measured just before it; the row shows the round with the median ratio). Sources are synthetic 640×480 frames offered at twice the model-only rate; " +
                          "the daemon path includes the capture copy, the batch copy, smoothing, HUD, one JPEG encode (quality 80) per shown frame and the stream hub. " +
                          $"Each model runs with the default view cap (FrameLoop:MaxViewFps = {defaultViewFps}: every frame inferred, at most {defaultViewFps} per second drawn and encoded) and with no cap (every inferred frame drawn and encoded).");
        _report.AppendLine();
        _report.AppendLine("| model | view cap | model-only fps | model ms | daemon fps (inferred, 1 source) | daemon / model | range over rounds | Run ms in the daemon | HUD + JPEG ms | shown fps | p50 capture→JPEG ms | p99 capture→JPEG ms | p99 / model ms | bytes/frame (process) | bytes/frame (loop thread) | bytes/frame (encode stage thread) |");
        _report.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        _sources.AppendLine($"| model | sources | batched daemon fps (total, view cap {defaultViewFps}) | one session per source fps (total, model only) |");
        _sources.AppendLine("|---|---|---|---|");
    }

    /// <summary>One model at one view cap: the round with the median daemon/model ratio, and the range of the ratios.</summary>
    public void AddRow(string model, double viewFps, double modelFps, DaemonBenchmark.DaemonResult r, double minRatio, double maxRatio, double viewMs)
    {
        double modelMs = 1000 / modelFps;
        _report.AppendLine(Invariant,
            $"| {model} | {(viewFps > 0 ? viewFps.ToString("0", Invariant) : "none")} | {modelFps:0.0} | {modelMs:0.00} | {r.Fps:0.0} | **{r.Fps / modelFps:P0}** | {minRatio:P0}–{maxRatio:P0} | {r.RunMs:0.00} | {viewMs:0.00} | {r.ShownFps:0.0} | {r.P50:0.0} | {r.P99:0.0} | {r.P99 / modelMs:0.0}× | {r.ProcessBytesPerFrame:0} | {r.LoopBytesPerFrame:0.0} | {r.StageBytesPerFrame:0.0} |");
    }

    public void AddSourcesRow(string model, int sources, double batchedFps, double separateFps) =>
        _sources.AppendLine(Invariant, $"| {model} | {sources} | {batchedFps:0.0} | {separateFps:0.0} |");

    public override string ToString() => new StringBuilder().Append(_report).AppendLine().Append(_sources).AppendLine().ToString();
}
