using EdgeVision.Core.Model;

namespace EdgeVision.Onnx.Pretrained;

/// <summary>Resolves what a user names as a pretrained backbone: <c>imagenet</c> or an ONNX file of their own.</summary>
public static class PretrainedBackbones
{
    public const string ImageNet = "imagenet";

    /// <summary>Where builds with EdgeVisionPretrained=true put the ImageNet ResNet-18 (build/PretrainedBackbones.targets).</summary>
    public static string ImageNetDirectory => Path.Combine(AppContext.BaseDirectory, "pretrained", ImageNetResNet18.Name);

    /// <summary>
    /// <c>imagenet</c> → the NuGet ImageNet ResNet-18 with its exact preprocessing; a path to an <c>.onnx</c> file →
    /// a float ResNet (torchvision export, ONNX model zoo), its classifier head cut, preprocessed as
    /// <paramref name="userPreprocessing"/> says (default: torchvision's ImageNet normalization).
    /// </summary>
    public static PretrainedBackbone Load(string spec, BackbonePreprocessing? userPreprocessing = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (string.Equals(spec, ImageNet, StringComparison.OrdinalIgnoreCase)) return ImageNetResNet18.Load(ImageNetDirectory);
        if (!spec.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            throw new ModelContractException($"pretrained backbone '{spec}': expected '{ImageNet}' or a path to an .onnx file");
        if (!File.Exists(spec)) throw new ModelContractException($"pretrained backbone '{spec}': file not found");
        var model = OnnxModelFile.Load(spec);
        return OnnxBackbone.FromClassifier(model, spec, userPreprocessing ?? BackbonePreprocessing.TorchvisionImageNet,
            Path.GetFileNameWithoutExtension(spec));
    }
}
