using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Proto;
using EdgeVision.Onnx.Tests.Support;

namespace EdgeVision.Onnx.Tests;

public sealed class OnnxModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ev-onnx-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ModelProto SmallModel(int seed)
    {
        var spec = TestModels.Spec("resnet20", 3);
        return ContractModelFactory.CreateResNet(spec, RandomWeights.Create(ResNetPlan.Build(spec), seed), TestModels.Metadata(spec, ColorMode.Rgb, 32, 32));
    }

    [Fact]
    public void Saved_model_loads_back_equal_and_leaves_no_temporary_file()
    {
        var model = SmallModel(1);
        string path = Path.Combine(_dir, "m.onnx");
        OnnxModelFile.Save(model, path);

        Assert.Equal(model, OnnxModelFile.Load(path));
        Assert.Equal(OnnxModelFile.ToBytes(model), File.ReadAllBytes(path));
        Assert.Equal(["m.onnx"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Saving_over_an_existing_model_replaces_it_whole()
    {
        string path = Path.Combine(_dir, "m.onnx");
        OnnxModelFile.Save(SmallModel(1), path);
        var second = SmallModel(2);
        OnnxModelFile.Save(second, path);
        Assert.Equal(second, OnnxModelFile.Load(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Failed_save_removes_its_temporary_file()
    {
        // The final rename fails because a directory sits at the target path, after the temporary was written.
        string target = Path.Combine(_dir, "occupied.onnx");
        Directory.CreateDirectory(target);
        Assert.ThrowsAny<IOException>(() => OnnxModelFile.Save(SmallModel(1), target));
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.True(Directory.Exists(target));
    }

    [Fact]
    public void Loading_a_missing_file_names_it()
    {
        string path = Path.Combine(_dir, "absent.onnx");
        var e = Assert.Throws<ModelContractException>(() => OnnxModelFile.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' })]
    public void Loading_bytes_that_are_not_onnx_names_the_file(byte[] content)
    {
        string path = Path.Combine(_dir, "bad.onnx");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<ModelContractException>(() => OnnxModelFile.Load(path));
        Assert.Contains(path, e.Message);
    }
}
