using System.Diagnostics;
using EdgeVision.Core.Model;
using EdgeVision.Data;
using Microsoft.ML.OnnxRuntime;

namespace EdgeVision.Quantization;

/// <summary>
/// Images per second of a contract model at a fixed batch size, on the CPU provider unless told another
/// (<see cref="ProviderSessions"/>). The session and the
/// filled input live as long as the meter, so a comparison can measure several variants in interleaved
/// rounds and keep each one's best round: on a shared machine the least-disturbed round is the closest
/// to what the model can do, and interleaving exposes every variant to the same disturbances.
/// </summary>
public sealed class ThroughputMeter : IDisposable
{
    public sealed record Measurement(int Batch, int Runs, double Seconds)
    {
        public double ImagesPerSecond => Batch * Runs / Seconds;
        public double MillisecondsPerBatch => Seconds * 1000 / Runs;
    }

    private readonly InferenceSession _session;
    private readonly IDisposable _sessionOwner;
    private readonly BatchFeeder _feeder;
    private readonly OrtValue _input;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputs = [ModelContract.InputName];
    private readonly string[] _outputs = [ModelContract.ProbabilitiesName];

    /// <param name="provider">"CPU" (default), "CUDA" or "TensorRT"; a GPU provider that is unavailable throws.</param>
    public ThroughputMeter(byte[] model, ContractModel contract, IImageDataset? data, int batch, int warmUpRuns = 3, string provider = "CPU")
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), "batch must be positive");
        Batch = batch;
        if (provider == "CPU")
        {
            _session = OrtSessions.Create(model);
            _sessionOwner = _session;
        }
        else
        {
            var owned = ProviderSessions.Create(model, provider, contract.Source);
            _session = owned.Session;
            _sessionOwner = owned;
        }
        _feeder = new BatchFeeder(batch, contract.Signature.Height, contract.Signature.Width, contract.Metadata.Resize);
        if (data is { Count: > 0 })
            _feeder.Fill(data, Enumerable.Range(0, batch).Select(i => i % data.Count).ToArray());
        else
            new Random(1).NextBytes(_feeder.Bytes);
        _input = _feeder.Tensor(batch);
        for (int i = 0; i < warmUpRuns; i++) RunOnce();
    }

    public int Batch { get; }

    /// <summary>Runs for at least <paramref name="minSeconds"/> and <paramref name="minRuns"/> runs.</summary>
    public Measurement Measure(double minSeconds = 3, int minRuns = 5)
    {
        var clock = Stopwatch.StartNew();
        int runs = 0;
        while (runs < minRuns || clock.Elapsed.TotalSeconds < minSeconds)
        {
            RunOnce();
            runs++;
        }
        return new Measurement(Batch, runs, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One-shot convenience: a fresh meter, one measurement.</summary>
    public static Measurement MeasureOnce(byte[] model, ContractModel contract, IImageDataset? data, int batch, double minSeconds = 3)
    {
        using var meter = new ThroughputMeter(model, contract, data, batch);
        return meter.Measure(minSeconds);
    }

    private void RunOnce()
    {
        using var outputs = _session.Run(_runOptions, _inputs, [_input], _outputs);
    }

    public void Dispose()
    {
        _input.Dispose();
        _feeder.Dispose();
        _runOptions.Dispose();
        _sessionOwner.Dispose();
    }
}
