using EdgeVision.Daemon.Dataset;
using Microsoft.Extensions.Logging.Abstractions;
using OpenCvSharp;

namespace EdgeVision.Daemon.Tests.Http;

public sealed class LabelledFrameWriterTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgevision-writer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("Bag")]
    [InlineData("Ankle boot")]
    [InlineData("T-shirt_top.v2")]
    [InlineData("Größe")]
    [InlineData("猫")]
    public void Accepts_letters_digits_space_dash_underscore_dot_and_unicode_letters(string label)
    {
        Assert.Null(LabelRules.Problem(label));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("a/b")]
    [InlineData("..\\x")]
    [InlineData("x..y")]
    [InlineData("line\nbreak")]
    [InlineData(" padded")]
    [InlineData("$(rm -rf)")]
    [InlineData("")]
    [InlineData(null)]
    public void Refuses_labels_that_could_escape_hide_or_confuse(string? label)
    {
        Assert.NotNull(LabelRules.Problem(label));
    }

    [Fact]
    public void Save_writes_under_train_label_and_leaves_no_temporary_file()
    {
        var writer = new LabelledFrameWriter(_root, NullLogger<LabelledFrameWriter>.Instance);
        using var frame = new Mat(48, 64, MatType.CV_8UC3, new Scalar(10, 20, 30));

        var saved = writer.Save("Sneaker", frame);

        Assert.Equal(Path.Combine(Path.GetFullPath(_root), "train", "Sneaker"), Path.GetDirectoryName(saved.FullPath));
        Assert.True(File.Exists(saved.FullPath));
        Assert.Equal(".png", Path.GetExtension(saved.FullPath));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(saved.FullPath)!));
        Assert.Equal(1, writer.CountPerLabel()["Sneaker"]);
    }

    [Fact]
    public void Save_refuses_a_traversal_label_before_touching_the_disk()
    {
        var writer = new LabelledFrameWriter(_root, NullLogger<LabelledFrameWriter>.Instance);
        using var frame = new Mat(8, 8, MatType.CV_8UC3, Scalar.All(0));

        var error = Assert.Throws<InvalidLabelException>(() => writer.Save("../../etc", frame));

        Assert.Contains("..", error.Reason);
        Assert.False(Directory.Exists(_root));
    }

    [Fact]
    public void Save_refuses_an_empty_or_float_frame()
    {
        var writer = new LabelledFrameWriter(_root, NullLogger<LabelledFrameWriter>.Instance);
        using var empty = new Mat();
        using var floats = new Mat(4, 4, MatType.CV_32FC3, Scalar.All(0));

        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => writer.Save("Bag", empty)).Message);
        Assert.Contains("8-bit", Assert.Throws<ArgumentException>(() => writer.Save("Bag", floats)).Message);
    }
}
