using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeVision.Core.IO;
using EdgeVision.Daemon.Tests.Host;

namespace EdgeVision.Daemon.Tests.Teach;

/// <summary>The teach benchmark's section of docs/BENCHMARKS.md, measured by <see cref="TeachEndToEndTests"/> (EDGEVISION_WRITE_DOCS=1).</summary>
internal static class TeachBenchmarkDoc
{
    public const string Heading = "## Teaching on the device";

    public static void Write(int labels, int perLabel, double requestToServing, JsonElement job, double accuracy, double idleFps, double duringFps, string loadAverage, int threads, int nice)
    {
        var inv = CultureInfo.InvariantCulture;
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        var s = new StringBuilder();
        s.AppendLine(string.Create(inv, $"{Heading} ({DateTime.UtcNow:yyyy-MM-dd})"));
        s.AppendLine();
        s.AppendLine(string.Create(inv, $"Machine: {cpu}, {Environment.ProcessorCount} cores shared with other work (1-minute load average {loadAverage} during the run), backbone on {job.GetProperty("provider").GetString()}."));
        s.AppendLine("Command: `EDGEVISION_WRITE_DOCS=1 dotnet test tests/EdgeVision.Daemon.Tests -c Release --filter Captures_of_three_sources_teach`");
        s.AppendLine("(the real daemon in process, shipped model serving three 320×240 looping video sources of different content;");
        s.AppendLine(string.Create(inv, $"{perLabel} captures of each through `/api/capture`, then `POST /api/teach`; Teach:Threads {threads} at nice {nice}, Inference:AllowSpinning false)."));
        s.AppendLine();
        s.AppendLine("| measure | value | target |");
        s.AppendLine("|---|---:|---:|");
        s.AppendLine(string.Create(inv, $"| teach {labels} labels × {perLabel} captures, request → new model serving | {requestToServing:F1} s | ≤ 10 s |"));
        s.AppendLine(string.Create(inv, $"| … of which in the job (embed {job.GetProperty("embedded").GetInt32()} images, fit, write, validate + swap) | {job.GetProperty("elapsedSeconds").GetDouble():F1} s | |"));
        if (job.TryGetProperty("cpuSeconds", out var cpuSeconds) && cpuSeconds.ValueKind == JsonValueKind.Number)
            s.AppendLine(string.Create(inv, $"| … CPU time of the job's thread (ORT's other pool threads not counted) | {cpuSeconds.GetDouble():F1} s | |"));
        s.AppendLine(string.Create(inv, $"| hold-out top-1 ({job.GetProperty("holdOutImages").GetInt32()} captures held out, seeded, stratified) | {accuracy * 100:F1} % | |"));
        s.AppendLine(string.Create(inv, $"| frame loop, inferred fps idle (3 sources) | {idleFps:F1} | |"));
        s.AppendLine(string.Create(inv, $"| frame loop, inferred fps during the job | {duringFps:F1} ({duringFps / idleFps * 100:F0} % of idle) | ≥ 70 % |"));
        Replace(Path.Combine(RepoPaths.Root, "docs", "BENCHMARKS.md"), s.ToString());
    }

    /// <summary>Replaces this section (up to the next "## ") or appends it; temporary file + rename.</summary>
    private static void Replace(string path, string section)
    {
        string text = File.ReadAllText(path);
        int start = text.IndexOf(Heading, StringComparison.Ordinal);
        int end = start < 0 ? -1 : text.IndexOf("\n## ", start + Heading.Length, StringComparison.Ordinal);
        string updated = start < 0 ? text.TrimEnd() + "\n\n" + section : text[..start] + section + (end < 0 ? "" : text[end..]);
        AtomicFile.WriteText(path, updated.TrimEnd() + "\n");
    }
}
