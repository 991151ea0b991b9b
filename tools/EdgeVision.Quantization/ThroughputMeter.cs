using System.Diagnostics;
using EdgeVision.Core.Model;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization;

/// <summary>Images per second of a contract model on the CPU provider at a fixed batch size, after warm-up.</summary>
public static class ThroughputMeter
{
    public sealed record Measurement(int Batch, int Runs, double Seconds)
    {
        public double ImagesPerSecond => Batch * Runs / Seconds;
        public double MillisecondsPerBatch => Seconds * 1000 / Runs;
    }

    /// <param name="minSeconds">Keep running at least this long (and at least <paramref name="minRuns"/> runs).</param>
    public static Measurement Measure(byte[] model, ContractModel contract, IImageDataset? data, int batch, double minSeconds = 3, int minRuns = 10, int warmUpRuns = 3)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), "batch must be positive");
        using var session = OrtSessions.Create(model);
        using var feeder = new BatchFeeder(batch, contract.Signature.Height, contract.Signature.Width, contract.Metadata.Resize);
        if (data is { Count: > 0 })
            feeder.Fill(data, Enumerable.Range(0, batch).Select(i => i % data.Count).ToArray());
        else
            new Random(1).NextBytes(feeder.Bytes);
        using var input = feeder.Tensor(batch);
        using var runOptions = new RunOptions();
        string[] inputs = [ModelContract.InputName], outputs = [ModelContract.ProbabilitiesName];
        OrtValue[] feeds = [input];
        for (int i = 0; i < warmUpRuns; i++)
            using (session.Run(runOptions, inputs, feeds, outputs)) { }

        var clock = Stopwatch.StartNew();
        int runs = 0;
        while (runs < minRuns || clock.Elapsed.TotalSeconds < minSeconds)
        {
            using (session.Run(runOptions, inputs, feeds, outputs)) { }
            runs++;
        }
        return new Measurement(batch, runs, clock.Elapsed.TotalSeconds);
    }
}
