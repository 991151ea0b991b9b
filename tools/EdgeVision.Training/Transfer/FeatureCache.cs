using EdgeVision.Core.IO;
using EdgeVision.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// Backbone features of every image of a split, computed once in evaluation mode: with the whole backbone
/// frozen they are all the head ever sees, so epochs cost a matrix product instead of a ResNet pass.
/// Images are cached unaugmented (augmentation would need one cached copy per variant).
/// </summary>
public sealed class FeatureCache
{
    private FeatureCache(float[] features, int[] labels, int featureCount)
    {
        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
    }

    /// <summary>Row-major [Count, FeatureCount].</summary>
    public float[] Features { get; }
    public int[] Labels { get; }
    public int FeatureCount { get; }
    public int Count => Labels.Length;

    public static FeatureCache Compute(OnnxNetwork backbone, BackboneInput input, ImageDataset data, int batchSize = 32, IProgress<int>? progress = null)
    {
        if (data.Height != input.Height || data.Width != input.Width)
            throw new ArgumentException($"{data.Name}: images are {data.Height}×{data.Width}, the backbone takes {input.Height}×{input.Width}");
        bool wasTraining = backbone.training;
        backbone.eval();
        float[]? features = null;
        int featureCount = 0;
        using (torch.no_grad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                int n = Math.Min(batchSize, data.Count - start);
                using var scope = NewDisposeScope();
                var pixels = torch.tensor(data.Pixels.AsSpan(start * data.ImageBytes, n * data.ImageBytes).ToArray(),
                    [n, data.Height, data.Width, data.Channels], dtype: ScalarType.Byte);
                var f = backbone.forward(input.ToNetwork(pixels)).flatten(1).contiguous();
                if (features is null)
                {
                    featureCount = (int)f.shape[1];
                    features = new float[(long)data.Count * featureCount];
                }
                f.data<float>().CopyTo(features.AsSpan(start * featureCount, n * featureCount));
                progress?.Report(start + n);
            }
        }
        if (wasTraining) backbone.train();
        return new FeatureCache(features!, data.Labels, featureCount);
    }

    /// <summary>Writes count, feature count, labels and features (little-endian) through a temporary file, so a cut-off write leaves nothing.</summary>
    public void Save(string path)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Count);
            writer.Write(FeatureCount);
            foreach (int l in Labels) writer.Write(l);
            writer.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Features.AsSpan()));
        });
    }

    public static FeatureCache Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32(), featureCount = reader.ReadInt32();
        long expected = 8 + 4L * count + 4L * count * featureCount;
        if (count < 1 || featureCount < 1 || reader.BaseStream.Length != expected)
            throw new InvalidDataException($"{path}: not a feature cache of {count} × {featureCount} ({reader.BaseStream.Length} bytes, {expected} expected)");
        var labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = reader.ReadInt32();
        var features = new float[(long)count * featureCount];
        reader.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(features.AsSpan()));
        return new FeatureCache(features, labels, featureCount);
    }

    /// <summary>Rows <paramref name="indices"/> as a float [n, F] tensor and their labels; the caller owns both.</summary>
    public (Tensor Features, Tensor Labels) Batch(ReadOnlySpan<int> indices)
    {
        var rows = new float[indices.Length * FeatureCount];
        var labels = new long[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            Features.AsSpan(indices[i] * FeatureCount, FeatureCount).CopyTo(rows.AsSpan(i * FeatureCount));
            labels[i] = Labels[indices[i]];
        }
        return (torch.tensor(rows, [indices.Length, FeatureCount]), torch.tensor(labels));
    }
}
