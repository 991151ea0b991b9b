using EdgeVision.Data;

namespace EdgeVision.Quantization.Tests;

/// <summary>Every verb reads <c>--data</c> through <see cref="DataLocation"/>, so these are the forms all of them accept.</summary>
public sealed class DataLocationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ev-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Fashion_MNIST_names_the_system_dataset_or_a_given_directory()
    {
        var system = DataLocation.Parse("fashion-mnist");
        Assert.True(system.IsIdx);
        Assert.Equal(FashionMnist.DefaultDirectory, system.Path);
        var given = DataLocation.Parse("fashion-mnist:" + _dir);
        Assert.True(given.IsIdx);
        Assert.Equal(_dir, given.Path);
    }

    [Fact]
    public void A_directory_is_IDX_when_it_holds_IDX_images_and_an_image_folder_otherwise()
    {
        Assert.False(DataLocation.Parse(_dir).IsIdx);
        File.WriteAllBytes(Path.Combine(_dir, "train-images-idx3-ubyte.gz"), []);
        var idx = DataLocation.Parse(_dir);
        Assert.True(idx.IsIdx);
        Assert.Equal(_dir, idx.Path);
    }

    [Fact]
    public void A_missing_path_or_an_empty_value_is_an_error_that_says_what_is_accepted()
    {
        string missing = Path.Combine(_dir, "nope");
        var e = Assert.Throws<DirectoryNotFoundException>(() => DataLocation.Parse(missing));
        Assert.Contains(missing, e.Message);
        Assert.Contains("fashion-mnist", e.Message);
        Assert.Throws<ArgumentException>(() => DataLocation.Parse(" "));
    }
}
