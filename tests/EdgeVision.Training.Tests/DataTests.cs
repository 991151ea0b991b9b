using System.Buffers.Binary;
using System.IO.Compression;
using EdgeVision.Data;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeVision.Training.Tests;

public class DataTests
{
    [Fact]
    public void Fashion_MNIST_loads_both_splits_with_ten_classes()
    {
        var splits = FashionMnist.Load();
        Assert.Equal(60_000, splits.Train.Count);
        Assert.Equal(10_000, splits.Validation.Count);
        Assert.Equal((28, 28, 1), (splits.Train.Height, splits.Train.Width, splits.Train.Channels));
        Assert.Equal(Enumerable.Range(0, 10), splits.Validation.Labels.Distinct().Order());
    }

    [Fact]
    public void Plain_and_gzipped_IDX_files_read_the_same()
    {
        using var dir = new TempDirectory();
        byte[] idx = MakeIdxImages(3, 4, 5);
        File.WriteAllBytes(dir.File("a-images-idx3-ubyte"), idx);
        using (var gz = new GZipStream(File.Create(dir.File("a-images-idx3-ubyte.gz")), CompressionLevel.Fastest)) gz.Write(idx);

        var plain = IdxFile.ReadImages(dir.File("a-images-idx3-ubyte"));
        var zipped = IdxFile.ReadImages(dir.File("a-images-idx3-ubyte.gz"));
        Assert.Equal((3, 4, 5), (plain.Count, plain.Rows, plain.Cols));
        Assert.Equal(plain.Pixels, zipped.Pixels);
    }

    [Fact]
    public void Truncated_IDX_file_is_an_error_naming_the_file()
    {
        using var dir = new TempDirectory();
        string path = dir.File("t-images-idx3-ubyte");
        File.WriteAllBytes(path, MakeIdxImages(3, 4, 5)[..40]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void IDX_file_with_wrong_magic_is_rejected()
    {
        using var dir = new TempDirectory();
        string path = dir.File("labels-as-images");
        File.WriteAllBytes(path, [0, 0, 8, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7]);
        var e = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages(path));
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void Image_folder_skips_corrupt_files_and_reads_the_rest()
    {
        using var dir = new TempDirectory();
        WriteImages(dir.Path, "train", "cat", 3);
        WriteImages(dir.Path, "train", "dog", 2);
        WriteImages(dir.Path, "val", "cat", 1);
        WriteImages(dir.Path, "val", "dog", 1);
        File.WriteAllBytes(Path.Combine(dir.Path, "train", "dog", "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]);

        var splits = ImageFolder.Load(dir.Path, 16, 12, NullLogger.Instance);
        Assert.Equal(["cat", "dog"], splits.Train.Classes);
        Assert.Equal(5, splits.Train.Count);
        Assert.Equal([0, 0, 0, 1, 1], splits.Train.Labels);
        Assert.Equal((12, 16, 3), (splits.Train.Height, splits.Train.Width, splits.Train.Channels));
        Assert.Equal(2, splits.Validation.Count);
    }

    [Fact]
    public void Image_folder_with_an_empty_class_is_an_error_naming_it()
    {
        using var dir = new TempDirectory();
        WriteImages(dir.Path, "train", "cat", 2);
        Directory.CreateDirectory(Path.Combine(dir.Path, "train", "dog"));
        File.WriteAllBytes(Path.Combine(dir.Path, "train", "dog", "corrupt.png"), [1, 2, 3]);
        WriteImages(dir.Path, "val", "cat", 1);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(dir.Path, 16, 16, NullLogger.Instance));
        Assert.Contains("'dog'", e.Message);
    }

    [Fact]
    public void Image_folder_with_an_empty_validation_split_is_an_error()
    {
        using var dir = new TempDirectory();
        WriteImages(dir.Path, "train", "cat", 1);
        WriteImages(dir.Path, "train", "dog", 1);
        Directory.CreateDirectory(Path.Combine(dir.Path, "val"));
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(dir.Path, 16, 16, NullLogger.Instance));
        Assert.Contains("no readable images", e.Message);
    }

    private static void WriteImages(string root, string split, string cls, int count)
    {
        string dir = Path.Combine(root, split, cls);
        Directory.CreateDirectory(dir);
        for (int i = 0; i < count; i++)
        {
            using var mat = new Mat(20, 30, MatType.CV_8UC3, new Scalar(10 * i, 100, cls.Length * 40));
            Cv2.ImWrite(Path.Combine(dir, $"{i}.{(i % 2 == 0 ? "png" : "jpg")}"), mat);
        }
    }

    private static byte[] MakeIdxImages(int count, int rows, int cols)
    {
        var data = new byte[16 + count * rows * cols];
        BinaryPrimitives.WriteInt32BigEndian(data, 0x803);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(data.AsSpan(12), cols);
        for (int i = 16; i < data.Length; i++) data[i] = (byte)(i * 7);
        return data;
    }
}
