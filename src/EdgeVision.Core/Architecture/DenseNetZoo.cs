using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVision.Core.Architecture;

/// <summary>
/// Named DenseNets: torchvision's densenet121/161/169/201 (ImageNet stem, k = 32, 64 stem channels; 161: k = 48, 96)
/// and the CIFAR DenseNet-BC of the paper as <c>densenet_bc_L_k</c>: three blocks of (L − 4)/6 bottleneck layers,
/// a 3×3 stem of 2k channels, θ = 0.5 (densenet_bc_100_12 is the paper's 0.8 M-parameter network).
/// </summary>
public static partial class DenseNetZoo
{
    public static IReadOnlyList<string> Names { get; } = ["densenet121", "densenet169", "densenet_bc_100_12", "densenet_bc_40_12"];

    /// <summary>The spec for <paramref name="key"/> (lower case), or null when it names no DenseNet.</summary>
    public static DenseNetSpec? TryCreate(string key)
    {
        var imageNet = key switch
        {
            "densenet121" => ImageNet(key, [6, 12, 24, 16], 32, 64),
            "densenet161" => ImageNet(key, [6, 12, 36, 24], 48, 96),
            "densenet169" => ImageNet(key, [6, 12, 32, 32], 32, 64),
            "densenet201" => ImageNet(key, [6, 12, 48, 32], 32, 64),
            _ => null,
        };
        if (imageNet is not null) return imageNet;
        var m = Cifar().Match(key);
        if (!m.Success) return null;
        int depth = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        int k = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        // Depth counts the stem, two convolutions per bottleneck layer, two transitions and the classifier.
        if (depth < 10 || (depth - 4) % 6 != 0 || k < 1) return null;
        int layers = (depth - 4) / 6;
        return new DenseNetSpec { Name = key, Stem = StemKind.Cifar, LayersPerBlock = [layers, layers, layers], GrowthRate = k, StemChannels = 2 * k };
    }

    private static DenseNetSpec ImageNet(string name, int[] blocks, int growth, int stem) =>
        new() { Name = name, Stem = StemKind.ImageNet, LayersPerBlock = blocks, GrowthRate = growth, StemChannels = stem };

    [GeneratedRegex(@"^densenet_bc_(\d+)_(\d+)$")]
    private static partial Regex Cifar();
}
