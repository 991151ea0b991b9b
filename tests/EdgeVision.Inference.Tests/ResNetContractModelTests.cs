using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using ModelMetadata = EdgeVision.Core.Model.ModelMetadata;

namespace EdgeVision.Inference.Tests;

/// <summary>The engine on a real emitted contract model (CIFAR ResNet-20, random weights).</summary>
public sealed class ResNetContractModelTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string SaveResNet20(ResizePolicy resize = ResizePolicy.Stretch)
    {
        var spec = ResNetZoo.Create("resnet20", 3, 10);
        var metadata = new ModelMetadata
        {
            Labels = Enumerable.Range(0, 10).Select(i => $"c{i}").ToList(),
            Architecture = "resnet20", InputWidth = 32, InputHeight = 32, Color = ColorMode.Rgb,
            Mean = [0.4914f, 0.4822f, 0.4465f], Std = [0.2470f, 0.2435f, 0.2616f], Resize = resize,
        };
        string path = _dir.File($"resnet20-{resize}.onnx");
        OnnxModelFile.Save(ContractModelFactory.CreateResNet(spec, RandomWeights.Create(ResNetPlan.Build(spec), 11), metadata), path);
        return path;
    }

    [Fact]
    public void ResNet20_batches_equal_single_images_and_onnx_runtime_run_directly()
    {
        string path = SaveResNet20();
        using var c = Classifier.Load(path, new InferenceOptions { Providers = ["CPU"], IntraOpThreads = 1, MaxBatch = 4 });
        Assert.Equal((32, 32, 10), (c.InputHeight, c.InputWidth, c.ClassCount));
        var frames = Enumerable.Range(0, 4).Select(i => TestImages.Noise(160 + 40 * i, 120, 40 + i)).ToArray();
        try
        {
            var single = new float[4][];
            for (int i = 0; i < 4; i++)
            {
                c.SetFrame(0, frames[i]);
                single[i] = c.Run(1).ToArray();
            }
            for (int i = 0; i < 4; i++) c.SetFrame(i, frames[i]);
            var batch = c.Run(4).ToArray();
            for (int i = 0; i < 4; i++)
            for (int k = 0; k < 10; k++)
                Assert.InRange(Math.Abs(batch[i * 10 + k] - single[i][k]), 0f, 1e-6f);

            var pixels = new byte[4 * 32 * 32 * 3];
            for (int i = 0; i < 4; i++) TestImages.Bytes(c.Slot(i)).CopyTo(pixels, i * 32 * 32 * 3);
            using var session = new InferenceSession(path);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor(ModelContract.InputName, new DenseTensor<byte>(pixels, [4, 32, 32, 3]))]);
            var direct = results.Single(r => r.Name == ModelContract.ProbabilitiesName).AsEnumerable<float>().ToArray();
            for (int i = 0; i < direct.Length; i++) Assert.InRange(Math.Abs(direct[i] - batch[i]), 0f, 1e-6f);
        }
        finally
        {
            foreach (var f in frames) f.Dispose();
        }
    }

    [Fact]
    public void ResNet20_centre_crop_and_stretch_models_see_different_inputs()
    {
        using var crop = Classifier.Load(SaveResNet20(ResizePolicy.CenterCrop), new InferenceOptions { Providers = ["CPU"], IntraOpThreads = 1, MaxBatch = 1 });
        using var stretch = Classifier.Load(SaveResNet20(ResizePolicy.Stretch), new InferenceOptions { Providers = ["CPU"], IntraOpThreads = 1, MaxBatch = 1 });
        using var frame = TestImages.Bands(1280, 720);
        crop.SetFrame(0, frame);
        stretch.SetFrame(0, frame);
        Assert.NotEqual(TestImages.Bytes(crop.Slot(0)), TestImages.Bytes(stretch.Slot(0)));
        Assert.NotEqual(crop.Run(1).ToArray(), stretch.Run(1).ToArray());
    }
}
