namespace EdgeVision.Data;

/// <summary>Fashion-MNIST (Xiao et al. 2017, MIT licence): 60 000 train / 10 000 test 28×28 grey images, 10 classes.</summary>
public static class FashionMnist
{
    /// <summary>Where Debian's dataset-fashion-mnist package installs the IDX files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public const string DatasetName = "fashion-mnist";

    public static IReadOnlyList<string> Classes { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static DatasetSplits Load(string? directory = null)
    {
        return new DatasetSplits(DatasetName, Split("train", directory), Split("test", directory));
    }

    /// <param name="split">"train" or "test" (the t10k files).</param>
    public static ImageDataset Split(string split, string? directory = null)
    {
        string prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ArgumentException($"Fashion-MNIST split '{split}' is not train or test"),
        };
        string dir = directory ?? DefaultDirectory;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"Fashion-MNIST directory {dir} does not exist (install dataset-fashion-mnist or pass --data DIR)");
        return LoadSplit(dir, prefix);
    }

    public static ImageDataset LoadSplit(string directory, string prefix)
    {
        var (pixels, count, rows, cols) = IdxFile.ReadImages(Find(directory, $"{prefix}-images-idx3-ubyte"));
        string labelPath = Find(directory, $"{prefix}-labels-idx1-ubyte");
        byte[] labels = IdxFile.ReadLabels(labelPath);
        if (labels.Length != count) throw new InvalidDataException($"{labelPath}: {labels.Length} labels for {count} images");
        string split = prefix == "t10k" ? "test" : prefix;
        return new ImageDataset($"{DatasetName}/{split}", pixels, labels.Select(b => (int)b).ToArray(), rows, cols, 1, Classes);
    }

    private static string Find(string directory, string stem)
    {
        foreach (string candidate in new[] { stem + ".gz", stem, stem.Replace("-idx", ".idx", StringComparison.Ordinal) })
        {
            string path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"{directory}: neither {stem}.gz nor {stem} exists", Path.Combine(directory, stem));
    }
}
