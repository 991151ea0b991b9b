using System.Globalization;
using System.Text;
using EdgeVision.Core.IO;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// Writes the report as one section of docs/BENCHMARKS.md: the section with this heading is replaced,
/// every other benchmark's section is kept as it is.
/// </summary>
public static class BenchMarkdown
{
    public const string Heading = "## Inference: engine vs ONNX Runtime C# sample vs OpenCV DNN";
    public const double PeakTarget = 0.80;
    public const double DnnSpeedupTarget = 1.7;

    public static string Section(BenchReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(Heading).AppendLine();
        sb.AppendLine("Cost per frame from a BGR camera frame to each frame's top-5, random weights, median of the runs.");
        sb.AppendLine("(a) `Classifier`: OpenCV resize straight into the pinned uint8 NHWC batch, preprocessing fused into the graph, IoBinding.");
        sb.AppendLine("(b) ONNX Runtime fed like its C# ResNet sample: resize, per-pixel managed loop into a new `DenseTensor<float>` NCHW, `Run` with `NamedOnnxValue`, LINQ top-5; unfused reference model.");
        sb.AppendLine("(c) OpenCV DNN: `BlobFromImages` + per-channel std + `Forward` on the same reference model.");
        sb.AppendLine();
        sb.AppendLine($"- Command: `{r.CommandLine}`");
        sb.AppendLine($"- Date: {r.When.ToString("yyyy-MM-dd HH:mm 'UTC'", c)}");
        sb.AppendLine($"- CPU: {r.Machine.Cpu}, {r.Machine.LogicalCores} logical cores ({r.Machine.CpuFlags}), {r.Machine.MemoryGiB} GiB; load average at start {r.Machine.LoadAverage}");
        sb.AppendLine($"- OS: {r.Machine.Os}; {r.Machine.Dotnet}; ONNX Runtime {r.Machine.OnnxRuntime}; OpenCV {r.Machine.OpenCv}; engine provider: {r.Provider}");
        sb.AppendLine($"- fp32 peak: ORT MatMul {r.Peak.Size}×{r.Peak.Size}·{r.Peak.Size}×{r.Peak.Size}: **{F(r.Peak.MedianGflops, "0.0")} GFLOP/s** median ({F(r.Peak.BestGflops, "0.0")} best)");
        sb.AppendLine($"- fp32 ceiling: independent {r.Ceiling.VectorBits}-bit FMAs on registers, {r.Ceiling.Threads} threads: **{F(r.Ceiling.Gflops, "0.0")} GFLOP/s** — no kernel doing the same arithmetic can exceed it");
        sb.AppendLine();
        sb.AppendLine("| model | batch | pipeline | ms/frame | frames/s | GFLOP/s | of MatMul peak | of FMA ceiling | (a) speed-up |");
        sb.AppendLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in r.Rows)
        {
            var engine = r.Rows.First(x => x.Model == row.Model && x.Batch == row.Batch && x.Pipeline.StartsWith("(a)", StringComparison.Ordinal));
            sb.AppendLine($"| {row.Model} | {row.Batch} | {row.Pipeline} | {F(row.SecondsPerFrame * 1e3, "0.000")} | {F(row.FramesPerSecond, "0.0")} | {F(row.Gflops, "0.0")} | {F(100 * row.Gflops / r.Peak.MedianGflops, "0")} % | {F(100 * row.Gflops / r.Ceiling.Gflops, "0")} % | {F(row.SecondsPerFrame / engine.SecondsPerFrame, "0.00")}× |");
        }
        sb.AppendLine();
        sb.AppendLine("Targets:").AppendLine();
        foreach (var line in Targets(r)) sb.AppendLine("- " + line);
        if (r.MaxProbabilityDifference.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Agreement on one frame (max |Δ probability| against (a)): " +
                string.Join("; ", r.MaxProbabilityDifference.Select(kv => $"{kv.Key}: {kv.Value.ToString("0.0e+0", c)}")) + ".");
        }
        foreach (var note in r.Notes) sb.AppendLine().AppendLine(note);
        return sb.ToString();
    }

    public static IEnumerable<string> Targets(BenchReport r)
    {
        foreach (var engine in r.Rows.Where(x => x.Pipeline.StartsWith("(a)", StringComparison.Ordinal)))
        {
            var sample = r.Rows.FirstOrDefault(x => x.Model == engine.Model && x.Batch == engine.Batch && x.Pipeline.StartsWith("(b)", StringComparison.Ordinal));
            var dnn = r.Rows.FirstOrDefault(x => x.Model == engine.Model && x.Batch == engine.Batch && x.Pipeline.StartsWith("(c)", StringComparison.Ordinal));
            if (engine.Model == "resnet18" && engine.Batch == 8)
            {
                double fraction = engine.Gflops / r.Peak.MedianGflops;
                yield return $"{engine.Model} batch 8 at ≥ {PeakTarget:P0} of the MatMul peak: {fraction:P0} — {(fraction >= PeakTarget ? "met" : "**missed**")}";
            }
            if (dnn is not null)
            {
                double speedup = dnn.SecondsPerFrame / engine.SecondsPerFrame;
                string verdict = speedup >= DnnSpeedupTarget ? "met" : "**missed**";
                if (speedup < DnnSpeedupTarget)
                {
                    // What meeting it would take, against what the cores can do at all.
                    double needed = DnnSpeedupTarget * dnn.Gflops;
                    verdict += $" (it needs {F(needed, "0.0")} GFLOP/s, {F(100 * needed / r.Ceiling.Gflops, "0")} % of the FMA ceiling; (a) runs at {F(100 * engine.Gflops / r.Ceiling.Gflops, "0")} %)";
                }
                yield return $"{engine.Model} batch {engine.Batch}: (a) ≥ {DnnSpeedupTarget}× (c): {F(speedup, "0.00")}× — {verdict}";
            }
            if (sample is not null)
            {
                double speedup = sample.SecondsPerFrame / engine.SecondsPerFrame;
                yield return $"{engine.Model} batch {engine.Batch}: (a) faster than (b): {F(speedup, "0.00")}× — {(speedup > 1 ? "met" : "**missed**")}";
            }
        }
    }

    /// <summary>Replaces this benchmark's section in <paramref name="path"/> (creating the file if needed).</summary>
    public static void Write(string path, string section) => Write(path, Heading, section);

    /// <summary>
    /// Replaces the section that starts with <paramref name="heading"/> (up to the next "## ") with
    /// <paramref name="section"/>, or appends it; written to a temporary file and moved, so a failure leaves the old file.
    /// </summary>
    public static void Write(string path, string heading, string section)
    {
        string existing = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nEvery table says the machine and the command that produced it.\n";
        string updated;
        int start = existing.IndexOf(heading, StringComparison.Ordinal);
        if (start < 0)
        {
            updated = existing.TrimEnd() + "\n\n" + section;
        }
        else
        {
            int next = existing.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
            updated = existing[..start] + section + (next < 0 ? "" : "\n" + existing[(next + 1)..]);
        }
        AtomicFile.WriteText(path, updated.TrimEnd() + "\n");
    }

    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
