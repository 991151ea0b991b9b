using EdgeVision.Data;

namespace EdgeVision.Training.Tests;

/// <summary>Small datasets for tests: a slice of Fashion-MNIST's test split, and a temporary directory helper.</summary>
internal static class TestData
{
    private static readonly Lazy<ImageDataset> FashionTest = new(() => FashionMnist.LoadSplit(FashionMnist.DefaultDirectory, "t10k"));

    public static ImageDataset FashionSlice(int start, int count) =>
        FashionTest.Value.Subset($"fashion-mnist/test[{start}..{start + count}]", Enumerable.Range(start, count).ToArray());

    public static DatasetSplits FashionSplits(int train, int validation) =>
        new("fashion-mnist-slice", FashionSlice(0, train), FashionSlice(train, validation));
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ev-train-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
