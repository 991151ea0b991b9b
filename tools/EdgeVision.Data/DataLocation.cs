namespace EdgeVision.Data;

/// <summary>
/// The one reading of the CLI's <c>--data</c>, shared by every verb (train, eval, quantize, precision):
/// <c>fashion-mnist</c> (Debian's dataset-fashion-mnist), <c>fashion-mnist:DIR</c> or a directory holding the
/// IDX files (<c>*-images-idx3-ubyte[.gz]</c>), else an image-folder root (train/ and test/ or val/ of class
/// folders, or the daemon's capture folder).
/// </summary>
public sealed record DataLocation
{
    public const string FashionMnistName = "fashion-mnist";
    private const string FashionMnistPrefix = FashionMnistName + ":";

    private DataLocation(string path, bool isIdx)
    {
        Path = path;
        IsIdx = isIdx;
    }

    /// <summary>The IDX directory, or the image-folder root.</summary>
    public string Path { get; }

    /// <summary>Fashion-MNIST-style IDX files (else an image folder).</summary>
    public bool IsIdx { get; }

    public static DataLocation Parse(string data)
    {
        if (string.IsNullOrWhiteSpace(data)) throw new ArgumentException("--data is empty; give fashion-mnist, fashion-mnist:DIR or an image folder");
        if (string.Equals(data, FashionMnistName, StringComparison.OrdinalIgnoreCase)) return new(FashionMnist.DefaultDirectory, true);
        if (data.StartsWith(FashionMnistPrefix, StringComparison.OrdinalIgnoreCase)) return new(data[FashionMnistPrefix.Length..], true);
        if (IsIdxDirectory(data)) return new(data, true);
        if (!Directory.Exists(data))
            throw new DirectoryNotFoundException($"--data '{data}' is neither fashion-mnist[:DIR], a directory of IDX files nor an existing image folder");
        return new(data, false);
    }

    private static bool IsIdxDirectory(string dir) =>
        Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*-images-idx3-ubyte*").Any();
}
