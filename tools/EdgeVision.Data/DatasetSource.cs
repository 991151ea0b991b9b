namespace EdgeVision.Data;

/// <summary>
/// Resolves the CLI's <c>--data</c>: "fashion-mnist" (optionally "fashion-mnist:DIR") or an image
/// folder root with train/ and test/ (or val/) splits, or the daemon's capture folder (class folders only).
/// </summary>
public static class DatasetSource
{
    public static IImageDataset Calibration(string data) =>
        Open(data, "train", fallBackToRoot: true)
        ?? throw new DirectoryNotFoundException($"'{data}' has no train/ split and no class folders");

    /// <summary>The test split, or null when the data has none (accuracy is then not measured).</summary>
    public static IImageDataset? Test(string data) => Open(data, "test", fallBackToRoot: false);

    private static IImageDataset? Open(string data, string split, bool fallBackToRoot)
    {
        if (string.IsNullOrWhiteSpace(data)) throw new ArgumentException("the data source is empty; give fashion-mnist or an image folder");
        if (data == "fashion-mnist" || data.StartsWith("fashion-mnist:", StringComparison.Ordinal))
        {
            string dir = data.Length > "fashion-mnist:".Length ? data["fashion-mnist:".Length..] : FashionMnist.DefaultDirectory;
            return FashionMnist.Split(split, dir);
        }
        return ImageFolderDataset.TryLoad(data, split, fallBackToRoot);
    }

    /// <summary>
    /// <paramref name="count"/> indices spread evenly over the dataset (an image folder is sorted by
    /// class, so the first N would all be one class); the same dataset and count give the same images.
    /// </summary>
    public static int[] EvenSample(int datasetCount, int count)
    {
        if (datasetCount <= 0) throw new InvalidDataException("the calibration set is empty");
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), $"calibration size {count} must be positive");
        int n = Math.Min(count, datasetCount);
        var indices = new int[n];
        for (int i = 0; i < n; i++) indices[i] = (int)((long)i * datasetCount / n);
        return indices;
    }
}
