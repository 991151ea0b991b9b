using EdgeVision.Data;
using EdgeVision.Onnx.Proto;
using Google.Protobuf;

namespace EdgeVision.Quantization;

/// <summary>
/// fp32, int8 (every calibration method, from one calibration pass) and fp16 variants of one model:
/// size, top-1 and img/s at batch 1 and 8. Throughput is measured in rounds, each with fresh sessions in a
/// shuffled order, each variant's best round kept, so a busy neighbour on a shared machine slows every variant alike.
/// </summary>
public static class PrecisionComparison
{
    public sealed record Variant(string Name, ModelProto Model);

    public sealed record Options
    {
        public int? TestSize { get; init; }
        public double Seconds { get; init; } = 2;
        public int Rounds { get; init; } = 3;

        /// <summary>The execution provider the variants are timed on (top-1 is always measured on CPU).</summary>
        public string Provider { get; init; } = "CPU";
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
        var models = new List<(byte[] Bytes, ContractModel Contract)>();
        foreach (var v in variants)
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[] bytes = v.Model.ToByteArray();
            var contract = ContractModel.From(v.Model, v.Name);
            accuracy.Add(evaluate(v, bytes, contract));
            models.Add((bytes, contract));
        }
        var best = new double[variants.Count, 2];
        var order = Enumerable.Range(0, variants.Count).ToArray();
        var shuffle = new Random(17);
        for (int round = 1; round <= options.Rounds; round++)
        {
            // A new session every round and a new order: on a shared VM the speed of one session can stay low for
            // its whole life (its threads' placement) and slow phases come and go every few seconds; best-of
            // rounds with both reshuffled is what the model can do, the same chance for every variant.
            shuffle.Shuffle(order);
            foreach (int i in order)
            {
                cancellationToken.ThrowIfCancellationRequested();
                status?.Invoke($"round {round}/{options.Rounds}: {variants[i].Name}");
                for (int b = 0; b < 2; b++)
                {
                    using var meter = new ThroughputMeter(models[i].Bytes, models[i].Contract, feed, b == 0 ? 1 : 8, provider: options.Provider);
                    best[i, b] = Math.Max(best[i, b], meter.Measure(options.Seconds).ImagesPerSecond);
                }
            }
        }
        return variants.Select((v, i) => new PrecisionRow(
            v.Name, v.Model.CalculateSize(), accuracy[i]?.Top1, accuracy[i]?.Total ?? 0, best[i, 0], best[i, 1])).ToList();
    }
}
