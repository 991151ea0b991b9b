using System.Buffers.Binary;
using System.IO.Compression;
using OpenCvSharp;

namespace EdgeVision.Quantization;

/// <summary>Fashion-MNIST from its IDX files (gzip or plain): 28×28 grey images, 10 classes.</summary>
public sealed class FashionMnistDataset : IImageDataset
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The dataset's published class order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private readonly byte[] _pixels;
    private readonly byte[] _labels;

    private FashionMnistDataset(string name, byte[] pixels, byte[] labels, int rows, int cols)
    {
        Name = name;
        _pixels = pixels;
        _labels = labels;
        Rows = rows;
        Cols = cols;
    }

    public string Name { get; }
    public int Count => _labels.Length;
    public int Rows { get; }
    public int Cols { get; }
    public IReadOnlyList<string> Classes => ClassNames;

    /// <param name="split">"train" or "test" (the t10k files).</param>
    public static FashionMnistDataset Load(string split, string directory = DefaultDirectory)
    {
        string prefix = split switch
        {
            "train" => "train",
            "test" => "t10k",
            _ => throw new ArgumentException($"Fashion-MNIST split '{split}' is not train or test"),
        };
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Fashion-MNIST directory '{directory}' does not exist (Debian: apt-get install dataset-fashion-mnist)");
        byte[] images = ReadIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), 0x803, out int[] imageDims);
        byte[] labels = ReadIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), 0x801, out int[] labelDims);
        if (imageDims.Length != 3 || labelDims.Length != 1 || imageDims[0] != labelDims[0])
            throw new InvalidDataException($"Fashion-MNIST {split}: {imageDims.FirstOrDefault()} images but {labelDims.FirstOrDefault()} labels");
        foreach (byte l in labels)
            if (l >= ClassNames.Count) throw new InvalidDataException($"Fashion-MNIST {split}: label {l} is not one of the 10 classes");
        return new FashionMnistDataset($"fashion-mnist/{split}", images, labels, imageDims[1], imageDims[2]);
    }

    public int Label(int index) => _labels[index];

    public Mat Read(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"image {index} is outside 0..{Count - 1}");
        var mat = new Mat(Rows, Cols, MatType.CV_8UC1);
        int size = Rows * Cols;
        mat.SetArray(_pixels.AsSpan(index * size, size).ToArray());
        return mat;
    }

    private static byte[] ReadIdx(string basePath, int magic, out int[] dims)
    {
        string path = File.Exists(basePath + ".gz") ? basePath + ".gz" : basePath;
        if (!File.Exists(path)) throw new FileNotFoundException($"Fashion-MNIST file '{basePath}(.gz)' is missing", path);
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        if (bytes.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(bytes) != magic)
            throw new InvalidDataException($"'{path}' is not an IDX file with magic 0x{magic:x}");
        int rank = magic & 0xff;
        dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * i)..]);
            count *= dims[i];
        }
        int offset = 4 + 4 * rank;
        if (bytes.Length - offset != count)
            throw new InvalidDataException($"'{path}' declares {count} values but holds {bytes.Length - offset}");
        return bytes[offset..].ToArray();
    }
}
