using EdgeVision.Daemon.Models;
using EdgeVision.Daemon.Tests.Host;

namespace EdgeVision.Daemon.Tests.Reliability;

/// <summary>The catalog describes a file only after the loader's own pre-read checks: links out of models/ and the size cap.</summary>
public sealed class ModelCatalogBoundsTests
{
    [Fact]
    public void A_link_to_a_valid_model_outside_the_directory_is_listed_with_the_reason_and_refused_by_the_host()
    {
        using var scratch = new Scratch();
        string models = Directory.CreateDirectory(scratch.File("models")).FullName;
        string outside = TestModels.Tiny(Directory.CreateDirectory(scratch.File("elsewhere")).FullName, "valid.onnx");
        File.CreateSymbolicLink(Path.Combine(models, "link.onnx"), outside);
        TestModels.Tiny(models, "real.onnx");
        File.CreateSymbolicLink(Path.Combine(models, "alias.onnx"), Path.Combine(models, "real.onnx"));

        var list = new ModelCatalog(models).List(null);

        var link = list.Single(m => m.Name == "link.onnx");
        Assert.Contains("symbolic link", link.Error);
        Assert.Contains(outside, link.Error);
        Assert.Null(list.Single(m => m.Name == "alias.onnx").Error); // a link beside its target is fine
        Assert.Contains("outside", ModelLinks.Escape(Path.Combine(models, "link.onnx")));
    }

    [Fact]
    public void A_sparse_file_beyond_the_size_cap_declaring_a_2_GB_field_is_listed_as_too_large_without_being_read()
    {
        using var scratch = new Scratch();
        string models = Directory.CreateDirectory(scratch.File("models")).FullName;
        new BadModels(seed: 1).Write(Array.IndexOf(KindsInOrder(), BadModels.SparseBeyondCap), Path.Combine(models, "huge.onnx"), scratch.File("x"));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var huge = new ModelCatalog(models, maxModelBytes: 512L * 1024 * 1024).List(null).Single();

        Assert.Contains("larger than the 536,870,912-byte limit", huge.Error);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore < 64L * 1024 * 1024, "the catalog read the file's declared 2 GB");
    }

    private static string[] KindsInOrder() =>
        Enumerable.Range(0, BadModels.KindCount).Select(i => BadModels.KindAt(i)).ToArray();
}
