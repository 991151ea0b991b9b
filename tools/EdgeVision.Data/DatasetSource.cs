namespace EdgeVision.Data;

/// <summary>
/// The calibration and test splits of the CLI's <c>--data</c> (<see cref="DataLocation"/>) as images fed the
/// way the daemon feeds frames: an image folder may also be the daemon's capture folder (class folders only).
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
        var location = DataLocation.Parse(data);
        return location.IsIdx
            ? FashionMnist.Split(split, location.Path)
            : ImageFolderDataset.TryLoad(location.Path, split, fallBackToRoot);
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
