using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeVision.Core.Architecture;

/// <summary>
/// The named members of the family. Names follow torchvision where it has one (resnet50,
/// resnext50_32x4d, wide_resnet50_2) and the papers otherwise (resnet20 … resnet110, wrn_28_10,
/// preact_resnet164, resnext29_8x64d). A trailing "b" on a CIFAR depth (resnet20b) selects option-B
/// projection shortcuts instead of option A.
/// </summary>
public static partial class ResNetZoo
{
    /// <summary>A representative list for <c>edgevision zoo</c>; <see cref="Create"/> accepts any valid depth.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
        "resnet20", "resnet32", "resnet44", "resnet56", "resnet110", "resnet20b",
        "plain18", "plain34", "plain20", "plain32", "plain56",
        "preact_resnet18", "preact_resnet50", "preact_resnet20", "preact_resnet110", "preact_resnet164",
        "resnext50_32x4d", "resnext101_32x8d", "resnext29_8x64d", "resnext29_4x16d",
        "wide_resnet50_2", "wrn_16_4", "wrn_28_10", "wrn_40_4",
        "se_resnet18", "se_resnet50", "se_resnet20", "se_resnet56",
    ];

    private static readonly int[] ImageNetPlanes = [64, 128, 256, 512];
    private static readonly int[] CifarPlanes = [16, 32, 64];

    public static ResNetSpec Create(string name, int inputChannels = 3, int numClasses = 1000)
    {
        string key = Normalize(name);
        var spec = TryCreate(key) ?? throw new ArgumentException(
            $"unknown architecture '{name}'. Known: {string.Join(", ", Names)} (other valid depths work too)");
        spec = spec with { Name = key };
        spec = spec.WithInput(inputChannels, numClasses);
        spec.Validate();
        return spec;
    }

    /// <summary>The key every zoo matches names by: trimmed, lower case, '-' as '_'.</summary>
    public static string Normalize(string name) => name.Trim().ToLowerInvariant().Replace('-', '_');

    internal static ResNetSpec? TryCreate(string key)
    {
        Match m;
        if ((m = WideImageNet().Match(key)).Success)
            return ImageNet(Int(m, 1), BlockKind.Bottleneck) is { } w ? w with { WidthPerGroup = 64 * Int(m, 2) } : null;
        if ((m = ResNeXt().Match(key)).Success)
        {
            int depth = Int(m, 1), groups = Int(m, 2), width = Int(m, 3);
            var b = depth == 29 ? Cifar29Bottleneck() : ImageNet(depth, BlockKind.Bottleneck);
            return b is null ? null : b with { Groups = groups, WidthPerGroup = width };
        }
        if ((m = WideResNet().Match(key)).Success)
        {
            int depth = Int(m, 1), k = Int(m, 2);
            if (depth < 10 || (depth - 4) % 6 != 0 || k < 1) return null;
            int n = (depth - 4) / 6;
            return new ResNetSpec
            {
                Name = key, Stem = StemKind.Cifar, Block = BlockKind.Basic, BlocksPerStage = [n, n, n],
                StagePlanes = CifarPlanes.Select(p => p * k).ToArray(), StemChannels = 16,
                Shortcut = ShortcutKind.Projection, PreActivation = true,
            };
        }
        if ((m = Family().Match(key)).Success)
        {
            string prefix = m.Groups[1].Value;
            int depth = Int(m, 2);
            bool optionB = m.Groups[3].Value == "b";
            bool preact = prefix == "preact_resnet";
            var spec = ByDepth(depth, preact, optionB);
            if (spec is null) return null;
            return prefix switch
            {
                "plain" => spec with { Shortcut = ShortcutKind.None },
                "preact_resnet" => spec,
                "se_resnet" => spec with { SqueezeExcitationReduction = 16 },
                _ => spec,
            };
        }
        return null;
    }

    private static ResNetSpec? ByDepth(int depth, bool preact, bool optionB)
    {
        var imageNet = ImageNet(depth, depth >= 50 ? BlockKind.Bottleneck : BlockKind.Basic);
        if (imageNet is not null && !optionB) return imageNet with { PreActivation = preact };

        // CIFAR: 6n+2 with basic blocks; pre-activation depths from 164 up use bottlenecks (9n+2).
        if (preact && depth >= 164 && (depth - 2) % 9 == 0)
        {
            int n9 = (depth - 2) / 9;
            return Cifar(n9, BlockKind.Bottleneck) with { PreActivation = true, Shortcut = ShortcutKind.Projection };
        }
        if (depth < 8 || (depth - 2) % 6 != 0) return null;
        int n = (depth - 2) / 6;
        var cifar = Cifar(n, BlockKind.Basic);
        return preact || optionB
            ? cifar with { PreActivation = preact, Shortcut = ShortcutKind.Projection }
            : cifar;
    }

    private static ResNetSpec? ImageNet(int depth, BlockKind block)
    {
        int[]? blocks = depth switch
        {
            18 => [2, 2, 2, 2],
            34 or 50 => [3, 4, 6, 3],
            101 => [3, 4, 23, 3],
            152 => [3, 8, 36, 3],
            _ => null,
        };
        if (blocks is null) return null;
        if ((depth >= 50) != (block == BlockKind.Bottleneck)) return null;
        return new ResNetSpec
        {
            Name = $"resnet{depth}", Stem = StemKind.ImageNet, Block = block, BlocksPerStage = blocks,
            StagePlanes = ImageNetPlanes, StemChannels = 64, Shortcut = ShortcutKind.Projection,
        };
    }

    private static ResNetSpec Cifar(int n, BlockKind block) => new()
    {
        Name = "cifar", Stem = StemKind.Cifar, Block = block, BlocksPerStage = [n, n, n],
        StagePlanes = CifarPlanes, StemChannels = 16, Shortcut = ShortcutKind.ZeroPad,
    };

    /// <summary>ResNeXt-29 (Xie et al. 2017, CIFAR): 64-channel 3×3 stem, three stages of three bottlenecks.</summary>
    private static ResNetSpec Cifar29Bottleneck() => new()
    {
        Name = "resnext29", Stem = StemKind.Cifar, Block = BlockKind.Bottleneck, BlocksPerStage = [3, 3, 3],
        StagePlanes = [64, 128, 256], StemChannels = 64, Shortcut = ShortcutKind.Projection,
    };

    private static int Int(Match m, int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(resnet|plain|preact_resnet|se_resnet)(\d+)(b?)$")]
    private static partial Regex Family();

    [GeneratedRegex(@"^resnext(\d+)_(\d+)x(\d+)d$")]
    private static partial Regex ResNeXt();

    [GeneratedRegex(@"^wide_resnet(\d+)_(\d+)$")]
    private static partial Regex WideImageNet();

    [GeneratedRegex(@"^wrn_(\d+)_(\d+)$")]
    private static partial Regex WideResNet();
}
