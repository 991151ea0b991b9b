using OpenCvSharp;

namespace EdgeVision.Tools.Bench;

/// <summary>Runs the MatMul peak and every (model, batch, pipeline) cell.</summary>
public sealed class BenchRunner(BenchSettings settings, Action<string> progress)
{
    public BenchReport Run(CancellationToken ct)
    {
        var machine = BenchMachine.Describe();
        progress($"fp32 peak: {settings.MatMulSize}×{settings.MatMulSize} MatMul, {settings.Threads} threads");
        var peak = MatMulPeak.Measure(settings, ct);
        progress($"  {peak.MedianGflops:0.0} GFLOP/s (median), {peak.BestGflops:0.0} best");

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
                using var engine = new EnginePipeline(model, settings.Threads, maxBatch);
                using var sample = new OrtSamplePipeline(model, settings.Threads);
                using var dnn = new OpenCvDnnPipeline(model, settings.Threads);
                provider = engine.Provider;
                IFramePipeline[] pipelines = [engine, sample, dnn];

                var reference = engine.Probabilities(frames[0]);
                foreach (var other in pipelines.Skip(1))
                    agreement[$"{name}: {other.Name} vs (a)"] = MaxAbsDifference(reference, other.Probabilities(frames[0]));

                foreach (int batch in settings.Batches)
                {
                    foreach (var pipeline in pipelines)
                    {
                        ct.ThrowIfCancellationRequested();
                        var t = BenchTimer.Measure(() => pipeline.Process(frames, batch), batch, settings, ct);
                        var row = new BenchRow(name, batch, pipeline.Name, t.MedianSeconds, t.BestSeconds, model.MultiplyAdds);
                        rows.Add(row);
                        progress($"  {name} batch {batch} {pipeline.Name}: {row.SecondsPerFrame * 1e3:0.000} ms/frame, {row.Gflops:0.0} GFLOP/s ({row.Gflops / peak.MedianGflops:P0} of peak)");
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
        if (double.TryParse(machine.LoadAverage.Split(' ')[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double load)
            && load > machine.LogicalCores)
        {
            notes.Add($"Caution: the machine was busy (1-minute load {load:0.0} on {machine.LogicalCores} cores at the start), so every pipeline " +
                      "and the MatMul peak got an unknown, varying share of the cores; ratios between cells are noisy. Re-run on a quiet machine.");
        }
        return new BenchReport(machine, settings.CommandLine(), DateTimeOffset.UtcNow, peak, rows, agreement, provider, notes);
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
