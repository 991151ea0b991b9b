using EdgeVision.Data;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeVision.Training.Tests;

/// <summary>A captures folder (train/&lt;label&gt;/*.png, no val/) is validated on a seeded, stratified hold-out that is written down.</summary>
public sealed class HoldOutSplitTests
{
    private static void Captures(string root, params (string Label, int Count)[] classes)
    {
        foreach (var (label, count) in classes)
        {
            string dir = Path.Combine(root, "train", label);
            Directory.CreateDirectory(dir);
            for (int i = 0; i < count; i++)
            {
                using var mat = new Mat(12, 16, MatType.CV_8UC3, new Scalar(20 * i, label.Length * 30, 90));
                Cv2.ImWrite(Path.Combine(dir, $"{label}-{i:D3}.png"), mat);
            }
        }
    }

    [Fact]
    public void A_folder_without_val_holds_out_a_seeded_stratified_fifth_with_at_least_one_per_class()
    {
        using var dir = new TempDirectory();
        Captures(dir.Path, ("cup", 10), ("key", 4), ("pen", 2));
        var splits = ImageFolder.Load(dir.Path, 16, 16, NullLogger.Instance);

        int[] perClassVal = [.. Enumerable.Range(0, 3).Select(c => splits.Validation.Labels.Count(l => l == c))];
        int[] perClassTrain = [.. Enumerable.Range(0, 3).Select(c => splits.Train.Labels.Count(l => l == c))];
        Assert.Equal([2, 1, 1], perClassVal);   // round(10·0.2), round(4·0.2) = 1, and at least one for "pen"
        Assert.Equal([8, 3, 1], perClassTrain); // never all of a class
        Assert.NotNull(splits.HoldOut);
        Assert.Empty(splits.Train.Files!.Intersect(splits.Validation.Files!));

        var again = ImageFolder.Load(dir.Path, 16, 16, NullLogger.Instance);
        Assert.Equal(splits.Validation.Files, again.Validation.Files);
        var other = ImageFolder.Load(dir.Path, 16, 16, NullLogger.Instance, holdOutFraction: 0.5, seed: 9);
        Assert.Equal([5, 2, 1], Enumerable.Range(0, 3).Select(c => other.Validation.Labels.Count(l => l == c)).ToArray());

        string run = Path.Combine(dir.Path, "run");
        splits.HoldOut!.Write(run);
        string[] lines = File.ReadAllLines(Path.Combine(run, StratifiedHoldOut.FileName));
        Assert.StartsWith("# stratified hold-out", lines[0]);
        Assert.Contains("fraction 0.2, seed 1", lines[0]);
        Assert.Equal("split,label,file", lines[1]);
        Assert.Equal(16, lines.Length - 2);
        var valRows = lines.Skip(2).Where(l => l.StartsWith("val,", StringComparison.Ordinal)).ToArray();
        Assert.Equal(splits.Validation.Files!.Order(StringComparer.Ordinal), valRows.Select(l => l.Split(',')[2]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_class_with_a_single_image_cannot_be_held_out_and_the_error_names_it()
    {
        using var dir = new TempDirectory();
        Captures(dir.Path, ("cup", 5), ("lonely", 1));
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(dir.Path, 16, 16, NullLogger.Instance));
        Assert.Contains("'lonely'", e.Message);
        Assert.Contains("at least 2", e.Message);
    }
}
