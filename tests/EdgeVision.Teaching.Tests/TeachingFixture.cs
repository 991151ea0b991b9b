using EdgeVision.Inference;
using EdgeVision.Onnx.Pretrained;

namespace EdgeVision.Teaching.Tests;

/// <summary>The ImageNet backbone, loaded once for every test, and the CPU options the tests embed with.</summary>
internal static class TeachingFixture
{
    private static readonly Lazy<PretrainedBackbone> ImageNet = new(() => PretrainedBackbones.Load(PretrainedBackbones.ImageNet));

    public static PretrainedBackbone Backbone => ImageNet.Value;

    public static InferenceOptions CpuOptions(int batch = 8) => new()
    {
        Providers = [ExecutionProviders.Cpu],
        MaxBatch = batch,
        IntraOpThreads = 2,
        WarmUp = false,
    };

    public static Teacher Teacher(ModelFileWriter? writer = null) => new(Backbone, CpuOptions(), writer: writer);
}
