using OpenCvSharp;

namespace EdgeVision.Tools.Bench;

/// <summary>Runs the MatMul peak and every (model, batch, pipeline) cell.</summary>
public sealed class BenchRunner(BenchSettings settings, Action<string> progress)
{
    public BenchReport Run(CancellationToken ct)
    {
        var machine = BenchMachine.Describe();
        var contention = CpuContention.Start();
        progress($"fp32 peak: {settings.MatMulSize}×{settings.MatMulSize} MatMul, {settings.Threads} threads");
        var peak = MatMulPeak.Measure(settings, ct);
        progress($"  {peak.MedianGflops:0.0} GFLOP/s (median), {peak.BestGflops:0.0} best");
        var ceiling = FmaPeak.Measure(settings.Threads, settings.Quick ? 0.1 : 1.5, ct);
        progress($"fp32 ceiling: register-only {ceiling.VectorBits}-bit FMA on {ceiling.Threads} threads: {ceiling.Gflops:0.0} GFLOP/s");

        string dir = Path.Combine(Path.GetTempPath(), "edgevision-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var rows = new List<BenchRow>();
        var agreement = new Dictionary<string, double>();
        string provider = "";
        int maxBatch = settings.Batches.Max();
        var rng = new Random(5);
        var frames = Enumerable.Range(0, maxBatch).Select(_ => RandomFrame(rng)).ToArray();
        try
        {
            foreach (string name in settings.Models)
            {
                progress($"{name}: building random-weight contract and reference models");
                var model = BenchModel.Create(name, dir);
                using var engine = new EnginePipeline(model, settings.Threads, maxBatch, settings.Spin);
                using var sample = new OrtSamplePipeline(model, settings.Threads);
                using var dnn = new OpenCvDnnPipeline(model, settings.Threads);
                provider = engine.Provider;
                IFramePipeline[] pipelines = [engine, sample, dnn];

                var reference = engine.Probabilities(frames[0]);
                foreach (var other in pipelines.Skip(1))
                    agreement[$"{name}: {other.Name} vs (a)"] = MaxAbsDifference(reference, other.Probabilities(frames[0]));

                foreach (int batch in settings.Batches)
                {
                    var timings = BenchTimer.MeasureInterleaved(
                        pipelines.Select(p => (Action)(() => p.Process(frames, batch))).ToList(), batch, settings.Timing, ct);
                    for (int k = 0; k < pipelines.Length; k++)
                    {
                        var row = new BenchRow(name, batch, pipelines[k].Name, timings[k].MedianSeconds, timings[k].BestSeconds, model.MultiplyAdds);
                        rows.Add(row);
                        progress($"  {name} batch {batch} {pipelines[k].Name}: {row.SecondsPerFrame * 1e3:0.000} ms/frame, {row.Gflops:0.0} GFLOP/s ({row.Gflops / ceiling.Gflops:P0} of the FMA ceiling)");
                    }
                }
            }
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        var notes = new List<string>();
        double? others = contention?.OthersShare();
        if (others is { } share)
        {
            notes.Add(share > 0.05
                ? $"Caution: other processes used {share:P0} of the cores during the run, so every pipeline and the peaks got an " +
                  "unknown, varying share of them; ratios between cells are noisy. Re-run on a quiet machine."
                : $"The machine was quiet: other processes used {share:P1} of the cores during the run.");
        }
        return new BenchReport(machine, settings.CommandLine(), DateTimeOffset.UtcNow, peak, ceiling, rows, agreement, provider, notes);
    }

    /// <summary>A camera-sized frame of random pixels (content does not change the cost of any pipeline).</summary>
    private Mat RandomFrame(Random rng)
    {
        var frame = new Mat(settings.FrameHeight, settings.FrameWidth, MatType.CV_8UC3);
        var bytes = new byte[settings.FrameHeight * settings.FrameWidth * 3];
        rng.NextBytes(bytes);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, frame.Data, bytes.Length);
        return frame;
    }

    private static double MaxAbsDifference(float[] a, float[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}
