namespace EdgeVision.Core.Architecture;

/// <summary>
/// One member of the DenseNet family (Huang et al. 2017), by numbers only: every layer of a dense block reads the
/// concatenation of all feature maps before it and adds <see cref="GrowthRate"/> channels; BC = bottleneck (BN-ReLU-
/// Conv1×1 to <see cref="BottleneckWidth"/>·k, then BN-ReLU-Conv3×3 to k) and compression (transitions keep
/// ⌊<see cref="Compression"/>·C⌋ channels). The TorchSharp zoo and the ONNX emitter both walk <see cref="DenseNetPlan"/>.
/// </summary>
public sealed record DenseNetSpec
{
    public required string Name { get; init; }

    /// <summary>ImageNet: 7×7/2 conv + BN + ReLU + 3×3/2 max pool; CIFAR: a lone 3×3/1 conv (the first layer's BN-ReLU follows).</summary>
    public required StemKind Stem { get; init; }

    /// <summary>Dense layers per block, e.g. [6, 12, 24, 16] for DenseNet-121.</summary>
    public required IReadOnlyList<int> LayersPerBlock { get; init; }

    /// <summary>k: channels each dense layer adds.</summary>
    public required int GrowthRate { get; init; }

    /// <summary>Output channels of the stem convolution (torchvision's num_init_features; 2k for CIFAR DenseNet-BC).</summary>
    public required int StemChannels { get; init; }

    /// <summary>torchvision's bn_size: the 1×1 bottleneck has BottleneckWidth·k channels.</summary>
    public int BottleneckWidth { get; init; } = 4;

    /// <summary>θ: a transition keeps ⌊θ·C⌋ of its C input channels.</summary>
    public double Compression { get; init; } = 0.5;

    public int InputChannels { get; init; } = 3;
    public int NumClasses { get; init; } = 1000;

    public DenseNetSpec WithInput(int channels, int classes) => this with { InputChannels = channels, NumClasses = classes };

    public void Validate()
    {
        if (LayersPerBlock.Count == 0 || LayersPerBlock.Any(l => l < 1)) throw new ArgumentException($"{Name}: every dense block needs at least one layer");
        if (GrowthRate < 1 || StemChannels < 1 || BottleneckWidth < 1) throw new ArgumentException($"{Name}: growth rate, stem channels and bottleneck width must be positive");
        if (!(Compression > 0.0 && Compression <= 1.0)) throw new ArgumentException($"{Name}: compression θ must be in (0, 1], not {Compression}");
        if (InputChannels is not (1 or 3)) throw new ArgumentException($"{Name}: input channels must be 1 or 3, not {InputChannels}");
        if (NumClasses < 2) throw new ArgumentException($"{Name}: at least 2 classes are needed, not {NumClasses}");
    }
}
