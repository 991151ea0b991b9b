namespace EdgeVision.Core.Architecture;

/// <summary>
/// One point of the RegNet design space (Radosavovic et al. 2020, "Designing network design spaces"): per-block
/// widths from the linear rule u_j = w_0 + w_a·j (j &lt; depth), quantised to w_0·w_m^round(log_wm(u_j / w_0)) and to
/// multiples of 8; blocks of equal width form a stage; one group width g everywhere; bottleneck ratio 1.
/// X blocks: 1×1, 3×3 grouped (stride on the first block of a stage), 1×1, projection shortcut where the shape
/// changes; Y blocks add squeeze-and-excitation after the 3×3. <see cref="RegNetDesign"/> turns the numbers
/// into stages exactly as torchvision's <c>BlockParams.from_init_params</c>.
/// </summary>
public sealed record RegNetSpec
{
    public required string Name { get; init; }

    /// <summary>ImageNet: 3×3/2 stem and every stage strided; CIFAR: 3×3/1 stem and the first stage at stride 1.</summary>
    public required StemKind Stem { get; init; }

    public required int Depth { get; init; }
    public required double InitialWidth { get; init; }
    public required double Slope { get; init; }
    public required double WidthMultiplier { get; init; }
    public required int GroupWidth { get; init; }

    /// <summary>Y blocks: SE hidden width = round(ratio · block input width) (torchvision); 0 for X blocks.</summary>
    public double SqueezeExcitationRatio { get; init; }

    /// <summary>Output channels of the stem convolution (32 in torchvision).</summary>
    public int StemWidth { get; init; } = 32;

    public int InputChannels { get; init; } = 3;
    public int NumClasses { get; init; } = 1000;

    public RegNetSpec WithInput(int channels, int classes) => this with { InputChannels = channels, NumClasses = classes };

    public void Validate()
    {
        // torchvision's own checks, with the value that broke them.
        if (Depth < 1) throw new ArgumentException($"{Name}: depth must be at least 1, not {Depth}");
        if (!(InitialWidth > 0) || InitialWidth % 8 != 0) throw new ArgumentException($"{Name}: w0 must be a positive multiple of 8, not {InitialWidth}");
        if (!(Slope >= 0)) throw new ArgumentException($"{Name}: wa must be non-negative, not {Slope}");
        if (!(WidthMultiplier > 1)) throw new ArgumentException($"{Name}: wm must be greater than 1, not {WidthMultiplier}");
        if (GroupWidth < 1) throw new ArgumentException($"{Name}: group width must be positive, not {GroupWidth}");
        if (!(SqueezeExcitationRatio >= 0 && SqueezeExcitationRatio < 1)) throw new ArgumentException($"{Name}: SE ratio must be in [0, 1), not {SqueezeExcitationRatio}");
        if (StemWidth < 1) throw new ArgumentException($"{Name}: stem width must be positive");
        if (InputChannels is not (1 or 3)) throw new ArgumentException($"{Name}: input channels must be 1 or 3, not {InputChannels}");
        if (NumClasses < 2) throw new ArgumentException($"{Name}: at least 2 classes are needed, not {NumClasses}");
    }
}
