using OpenCvSharp;

namespace EdgeVision.Data;

/// <summary>
/// Decoded images of one split, all the same size, packed row-major as uint8 [N, H, W, C]
/// (C = 1 grey, or 3 in OpenCV's BGR order) so batches are assembled by block copies.
/// </summary>
public sealed class ImageDataset : IImageDataset
{
    public ImageDataset(string name, byte[] pixels, int[] labels, int height, int width, int channels, IReadOnlyList<string> classes)
    {
        if (channels is not (1 or 3)) throw new ArgumentException($"{name}: images must have 1 or 3 channels, not {channels}");
        if (labels.Length == 0) throw new InvalidDataException($"{name}: the split holds no images");
        if ((long)labels.Length * height * width * channels != pixels.LongLength)
            throw new ArgumentException($"{name}: {labels.Length} images of {height}×{width}×{channels} need {(long)labels.Length * height * width * channels} bytes, got {pixels.LongLength}");
        foreach (int l in labels)
        {
            if ((uint)l >= (uint)classes.Count) throw new InvalidDataException($"{name}: label {l} is outside the {classes.Count} classes");
        }
        Name = name;
        Pixels = pixels;
        Labels = labels;
        Height = height;
        Width = width;
        Channels = channels;
        Classes = classes;
    }

    public string Name { get; }
    public byte[] Pixels { get; }
    public int[] Labels { get; }
    public int Height { get; }
    public int Width { get; }
    public int Channels { get; }
    public IReadOnlyList<string> Classes { get; }
    public int Count => Labels.Length;
    public int ImageBytes => Height * Width * Channels;

    /// <summary>The file each image was decoded from, when it came from an image folder (for the hold-out split record).</summary>
    public IReadOnlyList<string>? Files { get; init; }

    /// <summary>Files of the split that could not be used, with the reason.</summary>
    public IReadOnlyList<SkippedImage> Skipped { get; init; } = [];

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageBytes, ImageBytes);

    public int Label(int index) => Labels[index];

    /// <summary>A copy of one image as a Mat (CV_8UC1 or CV_8UC3 BGR), so decoded splits feed the evaluator like files do.</summary>
    public Mat Read(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"image {index} is outside 0..{Count - 1}");
        var mat = new Mat(Height, Width, Channels == 1 ? MatType.CV_8UC1 : MatType.CV_8UC3);
        System.Runtime.InteropServices.Marshal.Copy(Pixels, index * ImageBytes, mat.Data, ImageBytes);
        return mat;
    }

    /// <summary>The first <paramref name="count"/> images (small test and smoke runs).</summary>
    public ImageDataset Take(int count)
    {
        count = Math.Min(count, Count);
        return new ImageDataset(Name, Pixels[..(count * ImageBytes)], Labels[..count], Height, Width, Channels, Classes)
        {
            Files = Files?.Take(count).ToArray(), Skipped = Skipped,
        };
    }
}

/// <summary>A training split and the split it is validated on.</summary>
public sealed record DatasetSplits(string Name, ImageDataset Train, ImageDataset Validation)
{
    /// <summary>Set when the validation split was held out of train (a folder without val/): what to write to the run directory.</summary>
    public StratifiedHoldOut? HoldOut { get; init; }
}

/// <summary>Index-based views of a dataset.</summary>
public static class ImageDatasetSplitting
{
    public static ImageDataset Subset(this ImageDataset data, string name, IReadOnlyList<int> indices)
    {
        var pixels = new byte[indices.Count * data.ImageBytes];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            data.Image(indices[i]).CopyTo(pixels.AsSpan(i * data.ImageBytes));
            labels[i] = data.Labels[indices[i]];
        }
        return new ImageDataset(name, pixels, labels, data.Height, data.Width, data.Channels, data.Classes)
        {
            Files = data.Files is { } files ? indices.Select(i => files[i]).ToArray() : null, Skipped = data.Skipped,
        };
    }

    /// <summary>Holds out a seeded random <paramref name="fraction"/> of <paramref name="train"/> for validation.</summary>
    public static DatasetSplits HoldOut(string name, ImageDataset train, double fraction, int seed)
    {
        if (fraction is <= 0 or >= 1) throw new ArgumentException($"validation fraction must be in (0, 1), not {fraction}");
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(seed).Shuffle(order);
        int validation = (int)Math.Round(train.Count * fraction);
        if (validation < 1 || validation >= train.Count) throw new ArgumentException($"{train.Name}: a {fraction} split of {train.Count} images leaves an empty side");
        return new DatasetSplits(name, train.Subset(train.Name + "[train]", order[validation..]), train.Subset(train.Name + "[val]", order[..validation]));
    }
}
