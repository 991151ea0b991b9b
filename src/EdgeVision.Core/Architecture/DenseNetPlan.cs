namespace EdgeVision.Core.Architecture;

/// <summary>BN-ReLU-Conv1×1 (bottleneck) then BN-ReLU-Conv3×3 (k channels); its output is concatenated to its input.</summary>
public sealed record DenseLayerPlan(string Name, int In, BatchNormPlan Norm1, ConvPlan Conv1, BatchNormPlan Norm2, ConvPlan Conv2);

/// <summary>BN-ReLU-Conv1×1 (compression) then 2×2/2 average pooling between two dense blocks.</summary>
public sealed record TransitionPlan(string Name, BatchNormPlan Norm, ConvPlan Conv);

/// <summary>A dense block's layers and the transition after it (none after the last block).</summary>
public sealed record DenseBlockPlan(string Name, int In, int Out, IReadOnlyList<DenseLayerPlan> Layers, TransitionPlan? Transition);

/// <summary>
/// The concrete layer list of a <see cref="DenseNetSpec"/>, named as torchvision's DenseNet state dict
/// (features.conv0, features.denseblock1.denselayer1.norm1, features.transition1.conv, features.norm5, classifier)
/// so a torchvision .pth loads by name. Forward: stem → blocks (each layer: x = concat(x, layer(x)); then the
/// transition) → norm5 → ReLU → global average → classifier.
/// </summary>
public sealed record DenseNetPlan : INetworkPlan
{
    public required DenseNetSpec Spec { get; init; }
    public required ConvPlan StemConv { get; init; }

    /// <summary>ImageNet stem only: BN + ReLU (then max pool) after conv0.</summary>
    public BatchNormPlan? StemNorm { get; init; }
    public bool StemMaxPool { get; init; }
    public required IReadOnlyList<DenseBlockPlan> Blocks { get; init; }
    public required BatchNormPlan FinalNorm { get; init; }
    public required LinearPlan Classifier { get; init; }

    public string Name => Spec.Name;
    public int InputChannels => Spec.InputChannels;
    public int NumClasses => Spec.NumClasses;
    public int BlockCount => Blocks.Sum(b => b.Layers.Count);

    public string Summary =>
        $"{(Spec.Stem == StemKind.ImageNet ? "imagenet stem" : "cifar stem")}, dense {string.Join("-", Spec.LayersPerBlock)}, k {Spec.GrowthRate}, θ {Spec.Compression:0.##}";

    public static DenseNetPlan Build(DenseNetSpec spec)
    {
        spec.Validate();
        bool imageNet = spec.Stem == StemKind.ImageNet;
        var stem = imageNet
            ? new ConvPlan("features.conv0", spec.InputChannels, spec.StemChannels, 7, 2, 3)
            : new ConvPlan("features.conv0", spec.InputChannels, spec.StemChannels, 3, 1, 1);
        int channels = spec.StemChannels;
        int k = spec.GrowthRate, bottleneck = spec.BottleneckWidth * spec.GrowthRate;
        var blocks = new List<DenseBlockPlan>();
        for (int b = 0; b < spec.LayersPerBlock.Count; b++)
        {
            string blockName = $"features.denseblock{b + 1}";
            int blockIn = channels;
            var layers = new List<DenseLayerPlan>();
            for (int l = 0; l < spec.LayersPerBlock[b]; l++)
            {
                string n = $"{blockName}.denselayer{l + 1}";
                layers.Add(new DenseLayerPlan(n, channels,
                    new BatchNormPlan(n + ".norm1", channels),
                    new ConvPlan(n + ".conv1", channels, bottleneck, 1, 1, 0),
                    new BatchNormPlan(n + ".norm2", bottleneck),
                    new ConvPlan(n + ".conv2", bottleneck, k, 3, 1, 1)));
                channels += k;
            }
            TransitionPlan? transition = null;
            int blockOut = channels;
            if (b < spec.LayersPerBlock.Count - 1)
            {
                string t = $"features.transition{b + 1}";
                int compressed = (int)Math.Floor(spec.Compression * channels);
                if (compressed < 1) throw new ArgumentException($"{spec.Name}: transition {b + 1} would keep no channels");
                transition = new TransitionPlan(t, new BatchNormPlan(t + ".norm", channels), new ConvPlan(t + ".conv", channels, compressed, 1, 1, 0));
                channels = compressed;
            }
            blocks.Add(new DenseBlockPlan(blockName, blockIn, blockOut, layers, transition));
        }
        return new DenseNetPlan
        {
            Spec = spec,
            StemConv = stem,
            StemNorm = imageNet ? new BatchNormPlan("features.norm0", spec.StemChannels) : null,
            StemMaxPool = imageNet,
            Blocks = blocks,
            // torchvision names it norm5 whatever the number of blocks.
            FinalNorm = new BatchNormPlan("features.norm5", channels),
            Classifier = new LinearPlan("classifier", channels, spec.NumClasses),
        };
    }

    public IEnumerable<(string Name, int[] Shape)> Parameters()
    {
        foreach (var p in PlanParameters.Of(StemConv)) yield return p;
        if (StemNorm is not null) foreach (var p in PlanParameters.Of(StemNorm)) yield return p;
        foreach (var block in Blocks)
        {
            foreach (var layer in block.Layers)
            {
                foreach (var p in PlanParameters.Of(layer.Norm1)) yield return p;
                foreach (var p in PlanParameters.Of(layer.Conv1)) yield return p;
                foreach (var p in PlanParameters.Of(layer.Norm2)) yield return p;
                foreach (var p in PlanParameters.Of(layer.Conv2)) yield return p;
            }
            if (block.Transition is { } t)
            {
                foreach (var p in PlanParameters.Of(t.Norm)) yield return p;
                foreach (var p in PlanParameters.Of(t.Conv)) yield return p;
            }
        }
        foreach (var p in PlanParameters.Of(FinalNorm)) yield return p;
        foreach (var p in PlanParameters.Of(Classifier)) yield return p;
    }

    public IEnumerable<BatchNormPlan> Norms()
    {
        if (StemNorm is not null) yield return StemNorm;
        foreach (var block in Blocks)
        {
            foreach (var layer in block.Layers)
            {
                yield return layer.Norm1;
                yield return layer.Norm2;
            }
            if (block.Transition is { } t) yield return t.Norm;
        }
        yield return FinalNorm;
    }

    public long ParameterCount => PlanParameters.Count(Parameters());

    public long MultiplyAdds(int inputSize)
    {
        long macs = PlanParameters.ConvMacs(StemConv, inputSize, out int size);
        if (StemMaxPool) size = PlanParameters.StemMaxPoolOutput(size);
        foreach (var block in Blocks)
        {
            foreach (var layer in block.Layers)
            {
                macs += PlanParameters.ConvMacs(layer.Conv1, size, out _);
                macs += PlanParameters.ConvMacs(layer.Conv2, size, out _);
            }
            if (block.Transition is { } t)
            {
                macs += PlanParameters.ConvMacs(t.Conv, size, out _);
                size /= 2;
            }
        }
        return macs + (long)Classifier.In * Classifier.Out;
    }
}
