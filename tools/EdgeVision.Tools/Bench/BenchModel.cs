using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx;

namespace EdgeVision.Tools.Bench;

/// <summary>
/// One benchmarked network with random weights, in both forms: the fused contract model the engine loads
/// and the unfused float-NCHW reference the ORT sample and OpenCV DNN are fed.
/// </summary>
public sealed class BenchModel
{
    private BenchModel(string name, ResNetSpec spec, ModelMetadata metadata, string contractPath, byte[] reference)
    {
        Name = name;
        Spec = spec;
        Metadata = metadata;
        ContractPath = contractPath;
        ReferenceBytes = reference;
        MultiplyAdds = ResNetPlan.Build(spec).MultiplyAdds(metadata.InputWidth);
    }

    public string Name { get; }
    public ResNetSpec Spec { get; }
    public ModelMetadata Metadata { get; }
    public string ContractPath { get; }
    public byte[] ReferenceBytes { get; }

    /// <summary>Per image, from <see cref="ResNetPlan.MultiplyAdds"/>.</summary>
    public long MultiplyAdds { get; }

    public int Width => Metadata.InputWidth;
    public int Height => Metadata.InputHeight;
    public int Classes => Spec.NumClasses;

    public static BenchModel Create(string name, string directory)
    {
        var (spec, size, mean, std) = name switch
        {
            "resnet18" => (ResNetZoo.Create("resnet18", 3, 1000), 224, new[] { 0.485f, 0.456f, 0.406f }, new[] { 0.229f, 0.224f, 0.225f }),
            "resnet20" => (ResNetZoo.Create("resnet20", 3, 10), 32, new[] { 0.4914f, 0.4822f, 0.4465f }, new[] { 0.2470f, 0.2435f, 0.2616f }),
            _ => throw new ArgumentException($"no benchmark model '{name}'"),
        };
        string path = Path.Combine(directory, $"{name}.onnx");
        var (metadata, weights) = SaveContract(spec, size, mean, std, path);
        byte[] reference = OnnxModelFile.ToBytes(ContractModelFactory.CreateResNetReference(spec, weights, size, size));
        return new BenchModel(name, spec, metadata, path, reference);
    }

    /// <summary>
    /// <paramref name="spec"/> with random weights (fixed seed) as a contract model at <paramref name="path"/>: what the
    /// benchmarks time, and what <c>edgevision zoo --export</c> writes for measuring a network no one trained yet.
    /// </summary>
    public static (ModelMetadata Metadata, IWeightSource Weights) SaveContract(ResNetSpec spec, int size, float[] mean, float[] std, string path) =>
        SaveContract(ResNetPlan.Build(spec), size, mean, std, path);

    /// <summary>As <see cref="SaveContract(ResNetSpec, int, float[], float[], string)"/>, for a plan of any family.</summary>
    public static (ModelMetadata Metadata, IWeightSource Weights) SaveContract(INetworkPlan spec, int size, float[] mean, float[] std, string path)
    {
        var weights = RandomWeights.Create(spec, seed: 2024);
        var metadata = new ModelMetadata
        {
            Labels = Enumerable.Range(0, spec.NumClasses).Select(i => $"class {i}").ToList(),
            Architecture = spec.Name,
            InputWidth = size,
            InputHeight = size,
            Color = spec.InputChannels == 1 ? ColorMode.Grey : ColorMode.Rgb,
            Mean = mean,
            Std = std,
            Resize = ResizePolicy.Stretch,
            Dataset = "random weights (benchmark)",
        };
        OnnxModelFile.Save(ContractModelFactory.Create(spec, weights, metadata), path);
        return (metadata, weights);
    }
}
