namespace EdgeVision.Core.Architecture;

public enum StemKind
{
    /// <summary>7×7/2 convolution (64 channels) + BN + ReLU + 3×3/2 max pool (He et al. 2015, ImageNet).</summary>
    ImageNet,

    /// <summary>3×3/1 convolution + BN + ReLU (He et al. 2015, CIFAR section).</summary>
    Cifar,
}

public enum BlockKind
{
    Basic,
    Bottleneck,
}

public enum ShortcutKind
{
    /// <summary>Plain network: the same layers with no shortcut at all.</summary>
    None,

    /// <summary>Option A: identity, or stride-2 subsampling plus zero channel padding where the shape changes.</summary>
    ZeroPad,

    /// <summary>Option B: identity, or 1×1 strided convolution (+ BN) where the shape changes.</summary>
    Projection,
}

/// <summary>
/// One member of the ResNet family, described by numbers only. The TorchSharp zoo and the ONNX emitter
/// both walk <see cref="ResNetPlan"/> built from it, so the two can never disagree on a layer.
/// </summary>
public sealed record ResNetSpec
{
    public required string Name { get; init; }
    public required StemKind Stem { get; init; }
    public required BlockKind Block { get; init; }

    /// <summary>Blocks per stage, e.g. [2,2,2,2] for ResNet-18, [3,3,3] for ResNet-20.</summary>
    public required IReadOnlyList<int> BlocksPerStage { get; init; }

    /// <summary>"planes" per stage (torchvision's term): output channels of a basic block, output/4 of a bottleneck.</summary>
    public required IReadOnlyList<int> StagePlanes { get; init; }

    /// <summary>Output channels of the stem convolution.</summary>
    public required int StemChannels { get; init; }

    public required ShortcutKind Shortcut { get; init; }

    /// <summary>He et al. 2016 "identity mappings": BN-ReLU-conv ordering, final BN + ReLU before pooling.</summary>
    public bool PreActivation { get; init; }

    /// <summary>Cardinality (ResNeXt); 1 for ResNet.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Bottleneck inner width = planes × WidthPerGroup / 64 × Groups (torchvision's formula).</summary>
    public int WidthPerGroup { get; init; } = 64;

    /// <summary>Squeeze-and-excitation in every block; 0 disables. Hidden units = max(1, C / reduction).</summary>
    public int SqueezeExcitationReduction { get; init; }

    public int InputChannels { get; init; } = 3;
    public int NumClasses { get; init; } = 1000;

    public int Expansion => Block == BlockKind.Bottleneck ? 4 : 1;
    public int TotalBlocks => BlocksPerStage.Sum();

    public ResNetSpec WithInput(int channels, int classes) => this with { InputChannels = channels, NumClasses = classes };

    public void Validate()
    {
        if (BlocksPerStage.Count == 0 || BlocksPerStage.Count != StagePlanes.Count)
            throw new ArgumentException($"{Name}: blocks per stage ({BlocksPerStage.Count}) and stage planes ({StagePlanes.Count}) must be non-empty and of equal length");
        if (BlocksPerStage.Any(b => b < 1)) throw new ArgumentException($"{Name}: every stage needs at least one block");
        if (InputChannels is not (1 or 3)) throw new ArgumentException($"{Name}: input channels must be 1 or 3, not {InputChannels}");
        if (NumClasses < 2) throw new ArgumentException($"{Name}: at least 2 classes are needed, not {NumClasses}");
        if (Groups < 1 || WidthPerGroup < 1) throw new ArgumentException($"{Name}: groups and width per group must be positive");
        if (Groups > 1 && Block != BlockKind.Bottleneck) throw new ArgumentException($"{Name}: grouped convolution (ResNeXt) needs bottleneck blocks");
        if (Shortcut == ShortcutKind.ZeroPad && PreActivation) throw new ArgumentException($"{Name}: option-A shortcuts are defined for post-activation CIFAR ResNets only");
    }
}
