using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>
/// The ImageNet-trained ResNet-18 of NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1 (MIT): a CNTK export,
/// <c>Input247</c> float [1, 3, 224, 224] → <c>Pooling395_Output_0</c> [1, 512, 1, 1], and its preprocessing graph,
/// which takes planar RGB on a 0–255 scale, reorders it to BGR (Split + Concat) and subtracts a per-pixel mean
/// image [1, 3, 224, 224] (channel averages B 103.06, G 115.90, R 123.15; no division). The preprocessing is read
/// from that graph rather than restated here, so what models built on it subtract is exactly what ML.NET subtracts.
/// </summary>
public static class ImageNetResNet18
{
    public const string Name = "imagenet-resnet18";
    public const string PackageId = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    public const string PackageVersion = "0.23.1";
    public const string BackboneFile = "ResNet18.onnx";
    public const string PreprocessingFile = "ResNetPreprocess.onnx";

    /// <summary>Loads both graphs from <paramref name="directory"/> (the build copies them to pretrained/imagenet-resnet18/).</summary>
    public static PretrainedBackbone Load(string directory)
    {
        string backbonePath = Path.Combine(directory, BackboneFile);
        string preprocessingPath = Path.Combine(directory, PreprocessingFile);
        foreach (string path in new[] { backbonePath, preprocessingPath })
        {
            if (!File.Exists(path))
                throw new ModelContractException(
                    $"the ImageNet backbone is missing: {path} not found. It comes from the NuGet package {PackageId} {PackageVersion}; " +
                    "a project with <EdgeVisionPretrained>true</EdgeVisionPretrained> copies it to pretrained/imagenet-resnet18/ on build (dotnet restore + build)");
        }
        var preprocessing = ReadPreprocessing(OnnxModelFile.Load(preprocessingPath), preprocessingPath);
        var backbone = OnnxBackbone.FromFeatureGraph(OnnxModelFile.Load(backbonePath), backbonePath, preprocessing, Name);
        if (backbone.FeatureCount != 512 || backbone.InputHeight != 224 || backbone.InputWidth != 224)
            throw new ModelContractException($"{backbonePath}: expected a ResNet-18 feature graph (224×224 → 512 features), found {backbone.InputHeight}×{backbone.InputWidth} → {backbone.FeatureCount}");
        return backbone;
    }

    /// <summary>
    /// Reads the Split → Concat → Sub(mean image) graph: the Concat order gives the backbone's channel order relative
    /// to the RGB input ML.NET's pixel extractor feeds it, the Sub's initializer the mean image in that order.
    /// </summary>
    internal static BackbonePreprocessing ReadPreprocessing(ModelProto model, string source)
    {
        var graph = model.Graph;
        var split = Single(graph, "Split", source);
        var concat = Single(graph, "Concat", source);
        var sub = Single(graph, "Sub", source);
        if (graph.Node.Count != 3 || split.Input[0] != graph.Input[0].Name || sub.Input[0] != concat.Output[0])
            throw new ModelContractException($"{source}: expected exactly Split → Concat → Sub(mean image) on the input");
        if (AxisOf(split) != 1 || AxisOf(concat) != 1)
            throw new ModelContractException($"{source}: Split and Concat must work on the channel axis (1)");
        int[] order = concat.Input.Select(name => split.Output.IndexOf(name)).ToArray();
        ColorMode channelOrder = order switch
        {
            [2, 1, 0] => ColorMode.Bgr,
            [0, 1, 2] => ColorMode.Rgb,
            _ => throw new ModelContractException($"{source}: channel order [{string.Join(",", order)}] is neither RGB nor BGR"),
        };
        var meanTensor = graph.Initializer.FirstOrDefault(t => t.Name == sub.Input[1])
                         ?? throw new ModelContractException($"{source}: the Sub's mean '{sub.Input[1]}' is not an initializer");
        if (meanTensor.Dims.Count != 4 || meanTensor.Dims[0] != 1 || meanTensor.Dims[1] != 3)
            throw new ModelContractException($"{source}: the mean image has shape [{string.Join(",", meanTensor.Dims)}], expected [1, 3, H, W]");
        return new BackbonePreprocessing
        {
            ChannelOrder = channelOrder,
            PixelScale = 1f,
            Mean = OnnxTensor.ToFloats(meanTensor),
            Std = [1f, 1f, 1f],
        };
    }

    private static NodeProto Single(GraphProto graph, string op, string source) =>
        graph.Node.SingleOrDefault(n => n.OpType == op) ?? throw new ModelContractException($"{source}: expected one {op} node in the preprocessing graph");

    private static long AxisOf(NodeProto node) => node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
}
