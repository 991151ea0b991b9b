using EdgeVision.Core.IO;

namespace EdgeVision.Core.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("edgevision-atomic-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void A_write_replaces_the_old_file_and_leaves_no_temporary_file()
    {
        File.WriteAllText(PathOf("result.md"), "old");
        AtomicFile.WriteText(PathOf("result.md"), "new ✓");
        Assert.Equal("new ✓", File.ReadAllText(PathOf("result.md")));
        Assert.Equal([PathOf("result.md")], Directory.GetFiles(_directory));
        Assert.NotEqual(0xEF, File.ReadAllBytes(PathOf("result.md"))[0]); // no byte-order mark
    }

    [Fact]
    public void A_writer_that_fails_leaves_the_old_file_and_no_temporary_file()
    {
        File.WriteAllText(PathOf("model.onnx"), "the previous model");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(PathOf("model.onnx"), stream =>
        {
            stream.Write(new byte[4096]);
            throw new IOException("No space left on device");
        }));
        Assert.Equal("No space left on device", e.Message);
        Assert.Equal("the previous model", File.ReadAllText(PathOf("model.onnx")));
        Assert.Equal([PathOf("model.onnx")], Directory.GetFiles(_directory));
    }

    [Fact]
    public void A_missing_directory_is_created()
    {
        AtomicFile.WriteBytes(PathOf("a/b/c.bin"), [1, 2, 3]);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(PathOf("a/b/c.bin")));
    }

    [Fact]
    public void Without_overwrite_an_existing_file_is_an_error_and_stays_as_it_was()
    {
        File.WriteAllText(PathOf("capture.png"), "first");
        Assert.Throws<IOException>(() => AtomicFile.WriteBytes(PathOf("capture.png"), [9], overwrite: false));
        Assert.Equal("first", File.ReadAllText(PathOf("capture.png")));
        Assert.Equal([PathOf("capture.png")], Directory.GetFiles(_directory));
    }
}
