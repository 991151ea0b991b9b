using EdgeVision.Data;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeVision.Training.Tests;

/// <summary>
/// Every reader of image folders — training's ImageFolder, evaluation's and calibration's ImageFolderDataset — skips
/// and counts, with its path and reason, every file it cannot use: empty, truncated, not an image, 16-bit; a fuzz of
/// mutated and truncated PNG/JPEG bytes never throws out of the decoder.
/// </summary>
public sealed class UnreadableImageTests
{
    private static byte[] Encoded(string ext, int seed)
    {
        using var mat = new Mat(24, 32, MatType.CV_8UC3);
        Cv2.Randu(mat, new Scalar(0, 0, 0), new Scalar(255, 255, 255));
        Cv2.Circle(mat, new Point(10 + seed % 10, 12), 6, new Scalar(seed * 13 % 255, 40, 200), -1);
        return mat.ImEncode(ext);
    }

    /// <summary>DIR/train/ok/ has 3 good images; DIR/train/bad/ 2 good ones and one of each kind of bad file.</summary>
    private static Dictionary<string, string> BadFolder(string root)
    {
        string ok = Path.Combine(root, "train", "ok"), bad = Path.Combine(root, "train", "bad");
        Directory.CreateDirectory(ok);
        Directory.CreateDirectory(bad);
        for (int i = 0; i < 3; i++) File.WriteAllBytes(Path.Combine(ok, $"{i}.png"), Encoded(".png", i));
        File.WriteAllBytes(Path.Combine(bad, "good.jpg"), Encoded(".jpg", 5));
        File.WriteAllBytes(Path.Combine(bad, "good2.png"), Encoded(".png", 6));
        byte[] png = Encoded(".png", 7);
        var files = new Dictionary<string, string>
        {
            [Path.Combine(bad, "empty.png")] = "empty file",
            [Path.Combine(bad, "truncated.png")] = "truncated",
            [Path.Combine(bad, "notes.jpg")] = "not a decodable image",
            [Path.Combine(bad, "random.bmp")] = "not a decodable image",
            [Path.Combine(bad, "deep.png")] = "depth 16U",
        };
        File.WriteAllBytes(Path.Combine(bad, "empty.png"), []);
        File.WriteAllBytes(Path.Combine(bad, "truncated.png"), png[..(png.Length / 2)]);
        File.WriteAllText(Path.Combine(bad, "notes.jpg"), "this is not a JPEG");
        var random = new byte[500];
        new Random(3).NextBytes(random);
        File.WriteAllBytes(Path.Combine(bad, "random.bmp"), random);
        using (var deep = new Mat(8, 8, MatType.CV_16UC3, new Scalar(1000, 20000, 60000)))
            Cv2.ImWrite(Path.Combine(bad, "deep.png"), deep);
        return files;
    }

    private static void AssertSkipped(IReadOnlyList<SkippedImage> skipped, Dictionary<string, string> expected)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), skipped.Select(s => s.Path).Order(StringComparer.Ordinal));
        foreach (var s in skipped) Assert.Contains(expected[s.Path], s.Reason);
    }

    [Fact]
    public void Training_skips_and_counts_each_unreadable_file_with_its_path_and_reason()
    {
        using var dir = new TempDirectory();
        var bad = BadFolder(dir.Path);
        var splits = ImageFolder.Load(dir.Path, 16, 16, NullLogger.Instance, holdOutFraction: 0.25);
        Assert.Equal(5, splits.Train.Count + splits.Validation.Count);
        AssertSkipped(splits.Train.Skipped, bad);
    }

    [Fact]
    public void Evaluation_and_calibration_datasets_skip_the_same_files_up_front_and_read_the_rest()
    {
        using var dir = new TempDirectory();
        var bad = BadFolder(dir.Path);
        var dataset = ImageFolderDataset.Load(Path.Combine(dir.Path, "train"));
        Assert.Equal(5, dataset.Count);
        AssertSkipped(dataset.Skipped, bad);
        for (int i = 0; i < dataset.Count; i++)
        {
            using var image = dataset.Read(i);
            Assert.Equal(MatType.CV_8UC3, image.Type());
        }
        var calibration = DatasetSource.Calibration(dir.Path);
        Assert.Equal(5, calibration.Count);
        Assert.Equal(bad.Count, calibration.Skipped.Count);
    }

    [Fact]
    public void Fuzzed_image_bytes_decode_or_are_refused_with_a_reason_never_an_exception()
    {
        using var dir = new TempDirectory();
        var random = new Random(11);
        int decoded = 0, refused = 0;
        for (int i = 0; i < 60; i++)
        {
            byte[] bytes = Encoded(i % 2 == 0 ? ".png" : ".jpg", i);
            switch (i % 3)
            {
                case 0: bytes = bytes[..random.Next(0, bytes.Length)]; break; // truncated anywhere, zero length included
                case 1: for (int k = 0; k < 8; k++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256); break;
                default: bytes = bytes[..random.Next(0, Math.Min(64, bytes.Length))]; break; // a header at most
            }
            string path = Path.Combine(dir.Path, $"fuzz{i}.{(i % 2 == 0 ? "png" : "jpg")}");
            File.WriteAllBytes(path, bytes);
            using var image = ImageFileDecoder.TryDecode(path, out string reason);
            if (image is null)
            {
                refused++;
                Assert.False(string.IsNullOrWhiteSpace(reason));
            }
            else
            {
                decoded++;
                Assert.Equal(MatType.CV_8UC3, image.Type());
            }
        }
        Assert.True(refused > 10, $"{refused} refused");
        Assert.True(decoded + refused == 60);
    }
}
