using EdgeVision.Data;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Quantization;

/// <summary>
/// fp32, int8 (every calibration method, from one calibration pass) and fp16 variants of one model:
/// size, top-1 and img/s at batch 1 and 8. Throughput is measured in interleaved rounds, each variant's
/// best round kept, so a busy neighbour on a shared machine slows every variant alike.
/// </summary>
public static class PrecisionComparison
{
    public sealed record Variant(string Name, ModelProto Model);

    public sealed record Options
    {
        public int? TestSize { get; init; }
        public double Seconds { get; init; } = 2;
        public int Rounds { get; init; } = 3;
    }

    public static IReadOnlyList<Variant> Variants(ContractModel model, CalibratedModel calibrated, QuantizationSettings settings)
    {
        var variants = new List<Variant> { new("fp32", model.Model) };
        foreach (var method in Enum.GetValues<CalibrationMethod>())
            variants.Add(new($"int8 {method.Name()}", calibrated.ToInt8(settings with { Method = method })));
        variants.Add(new("fp16", HalfPrecision.Convert(model)));
        return variants;
    }

    /// <param name="evaluate">Top-1 of one variant (the CLI wraps it in a progress bar); null when there is no test set.</param>
    /// <param name="status">Called before each measurement with what is being measured.</param>
    public static IReadOnlyList<PrecisionRow> Measure(
        IReadOnlyList<Variant> variants, IImageDataset feed, Options options,
        Func<Variant, byte[], ContractModel, ModelEvaluator.Result?> evaluate, Action<string>? status = null,
        CancellationToken cancellationToken = default)
    {
        if (options.Rounds < 1 || options.Seconds <= 0) throw new ArgumentException("rounds and seconds must be positive");
        var accuracy = new List<ModelEvaluator.Result?>();
        var meters = new List<(ThroughputMeter B1, ThroughputMeter B8)>();
        try
        {
            foreach (var v in variants)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] bytes = v.Model.ToByteArray();
                var contract = ContractModel.From(v.Model, v.Name);
                accuracy.Add(evaluate(v, bytes, contract));
                status?.Invoke($"{v.Name}: loading");
                meters.Add((new ThroughputMeter(bytes, contract, feed, 1), new ThroughputMeter(bytes, contract, feed, 8)));
            }
            var best = new double[variants.Count, 2];
            for (int round = 1; round <= options.Rounds; round++)
            {
                for (int i = 0; i < variants.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    status?.Invoke($"round {round}/{options.Rounds}: {variants[i].Name}");
                    best[i, 0] = Math.Max(best[i, 0], meters[i].B1.Measure(options.Seconds).ImagesPerSecond);
                    best[i, 1] = Math.Max(best[i, 1], meters[i].B8.Measure(options.Seconds).ImagesPerSecond);
                }
            }
            return variants.Select((v, i) => new PrecisionRow(
                v.Name, v.Model.CalculateSize(), accuracy[i]?.Top1, accuracy[i]?.Total ?? 0, best[i, 0], best[i, 1])).ToList();
        }
        finally
        {
            foreach (var (b1, b8) in meters)
            {
                b1.Dispose();
                b8.Dispose();
            }
        }
    }

}
