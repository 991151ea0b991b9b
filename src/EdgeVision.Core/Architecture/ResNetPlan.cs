namespace EdgeVision.Core.Architecture;

/// <summary>What a block's shortcut does once channels and stride are known.</summary>
public enum ShortcutPlan
{
    /// <summary>Plain network: no addition.</summary>
    None,
    Identity,

    /// <summary>x[:, :, ::2, ::2] then zero channels padded equally before and after (option A).</summary>
    SubsampleZeroPad,

    /// <summary>1×1 convolution with the block's stride, then BN (post-activation) or nothing (pre-activation).</summary>
    Projection,
}

/// <summary>
/// A convolution: weight name is <c>{Name}.weight</c>, shape [Out, In/Groups, K, K]; a bias (<c>{Name}.bias</c>, [Out])
/// only where no BatchNorm follows (the RegNet squeeze-and-excitation 1×1 convolutions).
/// </summary>
public sealed record ConvPlan(string Name, int In, int Out, int Kernel, int Stride, int Padding, int Groups = 1, bool Bias = false)
{
    public string Weight => Name + ".weight";
    public string BiasName => Name + ".bias";
    public long Parameters => (long)Out * (In / Groups) * Kernel * Kernel + (Bias ? Out : 0);
    public int OutputSize(int inputSize) => (inputSize + 2 * Padding - Kernel) / Stride + 1;
}

/// <summary>BatchNorm over <see cref="Channels"/>: <c>{Name}.weight</c>, <c>.bias</c>, <c>.running_mean</c>, <c>.running_var</c>; eps 1e-5.</summary>
public sealed record BatchNormPlan(string Name, int Channels)
{
    public const float Epsilon = 1e-5f;
    public string Weight => Name + ".weight";
    public string Bias => Name + ".bias";
    public string RunningMean => Name + ".running_mean";
    public string RunningVar => Name + ".running_var";
    public long Parameters => 2L * Channels;
}

/// <summary>Linear layer (torch convention): <c>{Name}.weight</c> [Out, In], <c>{Name}.bias</c> [Out].</summary>
public sealed record LinearPlan(string Name, int In, int Out)
{
    public string Weight => Name + ".weight";
    public string Bias => Name + ".bias";
    public long Parameters => (long)In * Out + Out;
}

/// <summary>Squeeze-and-excitation on the residual branch output, before the addition: fc1 (C→H), ReLU, fc2 (H→C), sigmoid, scale.</summary>
public sealed record SqueezeExcitationPlan(string Name, int Channels, int Hidden)
{
    public LinearPlan Fc1 => new(Name + ".fc1", Channels, Hidden);
    public LinearPlan Fc2 => new(Name + ".fc2", Hidden, Channels);
}

/// <summary>
/// One residual (or plain) block. Orders, by <see cref="PreActivation"/>:
/// <list type="bullet">
/// <item>post-activation: conv1 → bn1 → relu → conv2 → bn2 [→ relu → conv3 → bn3] [→ SE] (+ shortcut(x)) → relu</item>
/// <item>pre-activation: a = relu(bn1(x)); shortcut = Projection ? proj(a) : x; conv1(a) → bn2 → relu → conv2 [→ bn3 → relu → conv3] [→ SE] + shortcut; no relu after</item>
/// </list>
/// <see cref="Norms"/>[i] follows <see cref="Convs"/>[i] in post-activation; in pre-activation Norms[0] is on the
/// block input and Norms[i] (i ≥ 1) follows Convs[i-1].
/// </summary>
public sealed record BlockPlan(
    string Name,
    int Index,
    int In,
    int Out,
    int Stride,
    bool PreActivation,
    IReadOnlyList<ConvPlan> Convs,
    IReadOnlyList<BatchNormPlan> Norms,
    ShortcutPlan Shortcut,
    ConvPlan? ProjectionConv,
    BatchNormPlan? ProjectionNorm,
    SqueezeExcitationPlan? SqueezeExcitation)
{
    /// <summary>The block changes the feature map's shape (stride or channels).</summary>
    public bool Downsampling => Stride != 1 || In != Out;

    /// <summary>
    /// Whether a test-time lesion (Veit et al. 2016) can remove the block: a residual block keeps its shortcut; a plain
    /// block becomes the identity, which only a block that keeps the shape can.
    /// </summary>
    public bool CanBeRemoved => Shortcut != ShortcutPlan.None || !Downsampling;
}

/// <summary>
/// The concrete layer list of a <see cref="ResNetSpec"/>, with torchvision-style parameter names
/// (conv1, bn1, layer1.0.conv1, layer1.0.downsample.0, fc, …) so counts and checkpoints line up.
/// </summary>
public sealed record ResNetPlan : INetworkPlan
{
    public required ResNetSpec Spec { get; init; }
    public required ConvPlan StemConv { get; init; }

    /// <summary>Null for pre-activation networks (the first block's bn1 normalizes the stem output).</summary>
    public BatchNormPlan? StemNorm { get; init; }
    public bool StemMaxPool { get; init; }
    public required IReadOnlyList<BlockPlan> Blocks { get; init; }

    /// <summary>Pre-activation only: BN + ReLU before global pooling.</summary>
    public BatchNormPlan? FinalNorm { get; init; }
    public required LinearPlan Classifier { get; init; }

    public string Name => Spec.Name;
    public int InputChannels => Spec.InputChannels;
    public int NumClasses => Spec.NumClasses;
    public int BlockCount => Blocks.Count;

    public string Summary
    {
        get
        {
            var s = Spec;
            var parts = new List<string> { s.Stem == StemKind.ImageNet ? "imagenet stem" : "cifar stem", s.Block.ToString().ToLowerInvariant() };
            if (s.PreActivation) parts.Add("pre-act");
            if (s.Groups > 1) parts.Add($"groups {s.Groups}");
            if (s.SqueezeExcitationReduction > 0) parts.Add("SE");
            parts.Add(s.Shortcut switch { ShortcutKind.None => "plain", ShortcutKind.ZeroPad => "option A", _ => "option B" });
            return string.Join(", ", parts);
        }
    }

    public static ResNetPlan Build(ResNetSpec spec)
    {
        spec.Validate();
        var stemConv = spec.Stem == StemKind.ImageNet
            ? new ConvPlan("conv1", spec.InputChannels, spec.StemChannels, 7, 2, 3)
            : new ConvPlan("conv1", spec.InputChannels, spec.StemChannels, 3, 1, 1);
        var blocks = new List<BlockPlan>();
        int channels = spec.StemChannels;
        int index = 0;
        for (int s = 0; s < spec.BlocksPerStage.Count; s++)
        {
            int planes = spec.StagePlanes[s];
            int outChannels = planes * spec.Expansion;
            for (int b = 0; b < spec.BlocksPerStage[s]; b++)
            {
                int stride = b == 0 && s > 0 ? 2 : 1;
                blocks.Add(BuildBlock(spec, $"layer{s + 1}.{b}", index++, channels, planes, outChannels, stride));
                channels = outChannels;
            }
        }
        return new ResNetPlan
        {
            Spec = spec,
            StemConv = stemConv,
            StemNorm = spec.PreActivation ? null : new BatchNormPlan("bn1", spec.StemChannels),
            StemMaxPool = spec.Stem == StemKind.ImageNet,
            Blocks = blocks,
            FinalNorm = spec.PreActivation ? new BatchNormPlan("bn_final", channels) : null,
            Classifier = new LinearPlan("fc", channels, spec.NumClasses),
        };
    }

    private static BlockPlan BuildBlock(ResNetSpec spec, string name, int index, int inChannels, int planes, int outChannels, int stride)
    {
        var convs = new List<ConvPlan>();
        if (spec.Block == BlockKind.Basic)
        {
            convs.Add(new ConvPlan($"{name}.conv1", inChannels, planes, 3, stride, 1));
            convs.Add(new ConvPlan($"{name}.conv2", planes, planes, 3, 1, 1));
        }
        else
        {
            int width = planes * spec.WidthPerGroup / 64 * spec.Groups;
            convs.Add(new ConvPlan($"{name}.conv1", inChannels, width, 1, 1, 0));
            convs.Add(new ConvPlan($"{name}.conv2", width, width, 3, stride, 1, spec.Groups));
            convs.Add(new ConvPlan($"{name}.conv3", width, outChannels, 1, 1, 0));
        }

        var norms = new List<BatchNormPlan>();
        for (int i = 0; i < convs.Count; i++)
        {
            int normChannels = spec.PreActivation ? (i == 0 ? inChannels : convs[i - 1].Out) : convs[i].Out;
            norms.Add(new BatchNormPlan($"{name}.bn{i + 1}", normChannels));
        }

        bool shapeChanges = stride != 1 || inChannels != outChannels;
        var shortcut = spec.Shortcut switch
        {
            ShortcutKind.None => ShortcutPlan.None,
            _ when !shapeChanges => ShortcutPlan.Identity,
            ShortcutKind.ZeroPad => ShortcutPlan.SubsampleZeroPad,
            _ => ShortcutPlan.Projection,
        };
        if (shortcut == ShortcutPlan.SubsampleZeroPad && (outChannels < inChannels || (outChannels - inChannels) % 2 != 0 || stride is not (1 or 2)))
            throw new ArgumentException($"{spec.Name}: option-A shortcut cannot map {inChannels}→{outChannels} channels at stride {stride}");

        ConvPlan? projConv = shortcut == ShortcutPlan.Projection
            ? new ConvPlan($"{name}.downsample.0", inChannels, outChannels, 1, stride, 0)
            : null;
        BatchNormPlan? projNorm = shortcut == ShortcutPlan.Projection && !spec.PreActivation
            ? new BatchNormPlan($"{name}.downsample.1", outChannels)
            : null;
        SqueezeExcitationPlan? se = spec.SqueezeExcitationReduction > 0
            ? new SqueezeExcitationPlan($"{name}.se", outChannels, Math.Max(1, outChannels / spec.SqueezeExcitationReduction))
            : null;
        return new BlockPlan(name, index, inChannels, outChannels, stride, spec.PreActivation, convs, norms, shortcut, projConv, projNorm, se);
    }

    /// <summary>Every learnable parameter tensor name with its shape, in a fixed order (running stats excluded).</summary>
    public IEnumerable<(string Name, int[] Shape)> Parameters()
    {
        foreach (var p in PlanParameters.Of(StemConv)) yield return p;
        if (StemNorm is not null) foreach (var p in PlanParameters.Of(StemNorm)) yield return p;
        foreach (var block in Blocks)
        {
            for (int i = 0; i < block.Convs.Count; i++)
            {
                if (block.PreActivation) foreach (var p in PlanParameters.Of(block.Norms[i])) yield return p;
                foreach (var p in PlanParameters.Of(block.Convs[i])) yield return p;
                if (!block.PreActivation) foreach (var p in PlanParameters.Of(block.Norms[i])) yield return p;
            }
            if (block.SqueezeExcitation is { } se)
            {
                foreach (var p in PlanParameters.Of(se.Fc1)) yield return p;
                foreach (var p in PlanParameters.Of(se.Fc2)) yield return p;
            }
            if (block.ProjectionConv is not null) foreach (var p in PlanParameters.Of(block.ProjectionConv)) yield return p;
            if (block.ProjectionNorm is not null) foreach (var p in PlanParameters.Of(block.ProjectionNorm)) yield return p;
        }
        if (FinalNorm is not null) foreach (var p in PlanParameters.Of(FinalNorm)) yield return p;
        foreach (var p in PlanParameters.Of(Classifier)) yield return p;
    }

    /// <summary>Every BatchNorm in the network (for running statistics).</summary>
    public IEnumerable<BatchNormPlan> Norms()
    {
        if (StemNorm is not null) yield return StemNorm;
        foreach (var block in Blocks)
        {
            foreach (var n in block.Norms) yield return n;
            if (block.ProjectionNorm is not null) yield return block.ProjectionNorm;
        }
        if (FinalNorm is not null) yield return FinalNorm;
    }

    public long ParameterCount => PlanParameters.Count(Parameters());

    /// <summary>Multiply-accumulates of convolutions and linear layers for one image of <paramref name="inputSize"/>².</summary>
    public long MultiplyAdds(int inputSize)
    {
        long macs = 0;
        int size = StemConv.OutputSize(inputSize);
        macs += StemConv.Parameters * size * size;
        if (StemMaxPool) size = PlanParameters.StemMaxPoolOutput(size);
        foreach (var block in Blocks)
        {
            int blockIn = size;
            foreach (var conv in block.Convs)
            {
                size = conv.OutputSize(size);
                macs += conv.Parameters * size * size;
            }
            if (block.ProjectionConv is { } proj)
            {
                int ps = proj.OutputSize(blockIn);
                macs += proj.Parameters * ps * ps;
            }
            if (block.SqueezeExcitation is { } se) macs += (long)se.Channels * se.Hidden * 2;
        }
        macs += (long)Classifier.In * Classifier.Out;
        return macs;
    }
}
