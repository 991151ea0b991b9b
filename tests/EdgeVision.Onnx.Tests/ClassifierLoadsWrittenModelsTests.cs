using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Inference;
using EdgeVision.Onnx.Import;
using EdgeVision.Onnx.Proto;
using EdgeVision.Onnx.Tests.Support;
using OpenCvSharp;

namespace EdgeVision.Onnx.Tests;

/// <summary>What this project writes is what the daemon's loader accepts: the two sides of the contract agree.</summary>
public sealed class ClassifierLoadsWrittenModelsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ev-onnx-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private float[] Classify(ModelProto model, byte[] bgr, int size)
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".onnx");
        OnnxModelFile.Save(model, path);
        using var classifier = Classifier.Load(path, new InferenceOptions { Providers = ["CPU"], MaxBatch = 2 });
        Assert.Equal("CPU", classifier.Provider);
        Assert.Equal(size, classifier.InputWidth);
        using var frame = Mat.FromPixelData(size, size, MatType.CV_8UC3, bgr);
        classifier.SetFrame(0, frame);
        return classifier.Run(1).ToArray();
    }

    [Fact]
    public void Contract_model_and_imported_model_load_and_give_the_same_probabilities()
    {
        var spec = TestModels.Spec("resnet20", 3);
        var weights = RandomWeights.Create(ResNetPlan.Build(spec), 12);
        var metadata = TestModels.Metadata(spec, ColorMode.Rgb, 32, 32);
        var native = ContractModelFactory.CreateResNet(spec, weights, metadata);
        var imported = ContractImporter.Import(
            ContractModelFactory.CreateResNetReference(spec, weights, 32, 32, ReferenceHead.Logits),
            new ImportOptions { Labels = metadata.Labels, Mean = metadata.Mean, Std = metadata.Std, Resize = ResizePolicy.Stretch }).Model;

        byte[] image = TestImages.Batch(1, 32, 32, seed: 99);
        float[] a = Classify(native, image, 32);
        float[] b = Classify(imported, image, 32);
        Assert.Equal(TestModels.Classes, a.Length);
        Assert.True(TestImages.MaxAbsDiff(a, b) <= 1e-5f, $"differ by {TestImages.MaxAbsDiff(a, b):E2}");
        Assert.Equal(1.0, a.Sum(), 5);
    }
}
