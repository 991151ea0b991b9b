using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeVision.Data;
using EdgeVision.Training.Model;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// Everything that would make continuing a saved transfer run wrong, as named values: the options that decide the
/// steps (seed, epochs, unfreeze-at, learning rates, batch, augmentation…), which backbone it started from (its name
/// and source, and a hash of its initial weights, so a replaced file at the same path is caught too), the head's
/// shape, and the training set (name, count, image size). The validation split is not in it: it changes no step.
/// </summary>
public static class TransferFingerprint
{
    public static SortedDictionary<string, string> Of(TransferOptions options, string backbone, TransferNetwork network, ImageDataset train)
    {
        static string D(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        static string I(long value) => value.ToString(CultureInfo.InvariantCulture);
        var fingerprint = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["epochs"] = I(options.Epochs),
            ["batch"] = I(options.BatchSize),
            ["lr"] = D(options.LearningRate),
            ["momentum"] = D(options.Momentum),
            ["weight-decay"] = D(options.WeightDecay),
            ["freeze"] = options.Freeze.ToString(),
            ["unfreeze-at"] = I(options.UnfreezeAt),
            ["backbone-lr-scale"] = D(options.BackboneLearningRateScale),
            ["warmup-epochs"] = D(options.WarmupEpochs),
            ["seed"] = I(options.Seed),
            ["augmentation"] = JsonSerializer.Serialize(options.Augmentation),
            ["eval-batch"] = I(options.EvalBatchSize), // the feature cache is computed in batches of this size
            ["backbone"] = backbone,
            ["backbone-weights"] = WeightsHash(network.Backbone),
            ["features"] = I(network.FeatureCount),
            ["classes"] = I(network.Head.weight!.shape[0]),
            ["train"] = train.Name,
            ["train-images"] = I(train.Count),
            ["image-size"] = $"{train.Height}x{train.Width}x{train.Channels}",
        };
        // Only when set, so progress saved before the option existed (statistics updated) still matches its run.
        if (options.KeepBatchNormStatistics) fingerprint["keep-bn-stats"] = "true";
        return fingerprint;
    }

    /// <summary>"epochs: 10 saved, 12 now" for every key whose value differs or that only one side has.</summary>
    public static List<string> Differences(IReadOnlyDictionary<string, string> saved, IReadOnlyDictionary<string, string> current) =>
        saved.Keys.Union(current.Keys).Order(StringComparer.Ordinal)
            .Select(key => (key, Saved: saved.GetValueOrDefault(key), Now: current.GetValueOrDefault(key)))
            .Where(d => d.Saved != d.Now)
            .Select(d => $"{d.key}: {d.Saved ?? "(absent)"} saved, {d.Now ?? "(absent)"} now")
            .ToList();

    // SHA-256 over the names and float32 bytes of every backbone tensor, in state-dict order.
    private static string WeightsHash(OnnxNetwork backbone)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in NetworkWeights.Capture(backbone).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(name));
            hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.Data.AsSpan()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
