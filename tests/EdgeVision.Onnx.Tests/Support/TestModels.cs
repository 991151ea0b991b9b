using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;

namespace EdgeVision.Onnx.Tests.Support;

/// <summary>One member of every family, kept small enough that the whole suite runs in seconds.</summary>
internal static class TestModels
{
    public const int Classes = 10;

    public static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    public static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    public static ResNetSpec Spec(string family, int inputChannels) => family switch
    {
        "preact_bottleneck" => new ResNetSpec
        {
            Name = family, Stem = StemKind.Cifar, Block = BlockKind.Bottleneck, BlocksPerStage = [2, 1, 1],
            StagePlanes = [4, 8, 16], StemChannels = 16, Shortcut = ShortcutKind.Projection, PreActivation = true,
            InputChannels = inputChannels, NumClasses = Classes,
        },
        "resnext" => new ResNetSpec
        {
            Name = family, Stem = StemKind.Cifar, Block = BlockKind.Bottleneck, BlocksPerStage = [1, 1, 1],
            StagePlanes = [8, 16, 32], StemChannels = 16, Shortcut = ShortcutKind.Projection, Groups = 4, WidthPerGroup = 16,
            InputChannels = inputChannels, NumClasses = Classes,
        },
        "imagenet_bottleneck" => new ResNetSpec
        {
            Name = family, Stem = StemKind.ImageNet, Block = BlockKind.Bottleneck, BlocksPerStage = [1, 1, 1, 1],
            StagePlanes = [8, 16, 32, 64], StemChannels = 16, Shortcut = ShortcutKind.Projection, SqueezeExcitationReduction = 4,
            InputChannels = inputChannels, NumClasses = Classes,
        },
        _ => ResNetZoo.Create(family, inputChannels, Classes),
    };

    /// <summary>ImageNet-stem networks get 64×64 (stride 32 leaves 2×2), CIFAR-stem ones 32×32.</summary>
    public static int InputSize(ResNetSpec spec) => spec.Stem == StemKind.ImageNet ? 64 : 32;

    public static ModelMetadata Metadata(ResNetSpec spec, ColorMode color, int width, int height) => new()
    {
        Labels = Enumerable.Range(0, spec.NumClasses).Select(i => $"class {i}").ToArray(),
        Architecture = spec.Name,
        InputWidth = width,
        InputHeight = height,
        Color = color,
        Mean = color == ColorMode.Grey ? [0.45f] : ImageNetMean,
        Std = color == ColorMode.Grey ? [0.26f] : ImageNetStd,
        Dataset = "synthetic",
    };
}
