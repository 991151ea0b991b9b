namespace EdgeVision.Core.Architecture;

/// <summary>torchvision's SqueezeExcitation: global average, fc1 (1×1 conv with bias), ReLU, fc2 (1×1 conv with bias), sigmoid, scale.</summary>
public sealed record ConvSqueezeExcitationPlan(string Name, ConvPlan Fc1, ConvPlan Fc2);

/// <summary>
/// torchvision's ResBottleneckBlock with bottleneck ratio 1: f = a (1×1, BN, ReLU) → b (3×3 grouped, stride, BN, ReLU)
/// [→ se] → c (1×1, BN); y = relu(f(x) + (proj ? BN(conv1×1/stride(x)) : x)).
/// </summary>
public sealed record RegNetBlockPlan(
    string Name,
    int Index,
    int In,
    int Out,
    int Stride,
    ConvPlan A,
    BatchNormPlan NormA,
    ConvPlan B,
    BatchNormPlan NormB,
    ConvSqueezeExcitationPlan? SqueezeExcitation,
    ConvPlan C,
    BatchNormPlan NormC,
    ConvPlan? Projection,
    BatchNormPlan? ProjectionNorm);

/// <summary>
/// The concrete layer list of a <see cref="RegNetSpec"/>, named as torchvision's RegNet state dict (stem.0, stem.1,
/// trunk_output.block1.block1-0.f.a.0, … .f.se.fc1, … .proj.1, fc). Forward: stem (conv, BN, ReLU) → blocks →
/// global average → fc.
/// </summary>
public sealed record RegNetPlan : INetworkPlan
{
    public required RegNetSpec Spec { get; init; }
    public required IReadOnlyList<RegNetStage> Stages { get; init; }
    public required ConvPlan StemConv { get; init; }
    public required BatchNormPlan StemNorm { get; init; }
    public required IReadOnlyList<RegNetBlockPlan> Blocks { get; init; }
    public required LinearPlan Classifier { get; init; }

    public string Name => Spec.Name;
    public int InputChannels => Spec.InputChannels;
    public int NumClasses => Spec.NumClasses;
    public int BlockCount => Blocks.Count;

    public string Summary =>
        $"{(Spec.Stem == StemKind.ImageNet ? "imagenet stem" : "cifar stem")}, {(Spec.SqueezeExcitationRatio > 0 ? "Y" : "X")} blocks, " +
        $"widths {string.Join("-", Stages.Select(s => s.Width))}, depths {string.Join("-", Stages.Select(s => s.Depth))}, g {Stages[0].GroupWidth}";

    public static RegNetPlan Build(RegNetSpec spec)
    {
        var stages = RegNetDesign.Stages(spec);
        bool imageNet = spec.Stem == StemKind.ImageNet;
        var stem = new ConvPlan("stem.0", spec.InputChannels, spec.StemWidth, 3, imageNet ? 2 : 1, 1);
        var blocks = new List<RegNetBlockPlan>();
        int width = spec.StemWidth, index = 0;
        for (int s = 0; s < stages.Count; s++)
        {
            var stage = stages[s];
            int stageStride = s == 0 && !imageNet ? 1 : 2;
            for (int i = 0; i < stage.Depth; i++)
            {
                int stride = i == 0 ? stageStride : 1;
                blocks.Add(BuildBlock(spec, $"trunk_output.block{s + 1}.block{s + 1}-{i}", index++, width, stage, stride));
                width = stage.Width;
            }
        }
        return new RegNetPlan
        {
            Spec = spec,
            Stages = stages,
            StemConv = stem,
            StemNorm = new BatchNormPlan("stem.1", spec.StemWidth),
            Blocks = blocks,
            Classifier = new LinearPlan("fc", width, spec.NumClasses),
        };
    }

    private static RegNetBlockPlan BuildBlock(RegNetSpec spec, string name, int index, int inWidth, RegNetStage stage, int stride)
    {
        int w = stage.Width;
        int groups = w / stage.GroupWidth;
        string f = name + ".f";
        ConvSqueezeExcitationPlan? se = null;
        if (spec.SqueezeExcitationRatio > 0)
        {
            // torchvision: squeeze width from the block's input width, not from the 3×3's width.
            int hidden = (int)Math.Round(spec.SqueezeExcitationRatio * inWidth, MidpointRounding.ToEven);
            se = new ConvSqueezeExcitationPlan(f + ".se",
                new ConvPlan(f + ".se.fc1", w, hidden, 1, 1, 0, Bias: true),
                new ConvPlan(f + ".se.fc2", hidden, w, 1, 1, 0, Bias: true));
        }
        bool project = inWidth != w || stride != 1;
        return new RegNetBlockPlan(name, index, inWidth, w, stride,
            new ConvPlan(f + ".a.0", inWidth, w, 1, 1, 0), new BatchNormPlan(f + ".a.1", w),
            new ConvPlan(f + ".b.0", w, w, 3, stride, 1, groups), new BatchNormPlan(f + ".b.1", w),
            se,
            new ConvPlan(f + ".c.0", w, w, 1, 1, 0), new BatchNormPlan(f + ".c.1", w),
            project ? new ConvPlan(name + ".proj.0", inWidth, w, 1, stride, 0) : null,
            project ? new BatchNormPlan(name + ".proj.1", w) : null);
    }

    public IEnumerable<(string Name, int[] Shape)> Parameters()
    {
        foreach (var p in PlanParameters.Of(StemConv)) yield return p;
        foreach (var p in PlanParameters.Of(StemNorm)) yield return p;
        foreach (var block in Blocks)
        {
            if (block.Projection is { } proj)
            {
                foreach (var p in PlanParameters.Of(proj)) yield return p;
                foreach (var p in PlanParameters.Of(block.ProjectionNorm!)) yield return p;
            }
            foreach (var p in PlanParameters.Of(block.A)) yield return p;
            foreach (var p in PlanParameters.Of(block.NormA)) yield return p;
            foreach (var p in PlanParameters.Of(block.B)) yield return p;
            foreach (var p in PlanParameters.Of(block.NormB)) yield return p;
            if (block.SqueezeExcitation is { } se)
            {
                foreach (var p in PlanParameters.Of(se.Fc1)) yield return p;
                foreach (var p in PlanParameters.Of(se.Fc2)) yield return p;
            }
            foreach (var p in PlanParameters.Of(block.C)) yield return p;
            foreach (var p in PlanParameters.Of(block.NormC)) yield return p;
        }
        foreach (var p in PlanParameters.Of(Classifier)) yield return p;
    }

    public IEnumerable<BatchNormPlan> Norms()
    {
        yield return StemNorm;
        foreach (var block in Blocks)
        {
            if (block.ProjectionNorm is not null) yield return block.ProjectionNorm;
            yield return block.NormA;
            yield return block.NormB;
            yield return block.NormC;
        }
    }

    public long ParameterCount => PlanParameters.Count(Parameters());

    public long MultiplyAdds(int inputSize)
    {
        long macs = PlanParameters.ConvMacs(StemConv, inputSize, out int size);
        foreach (var block in Blocks)
        {
            int blockIn = size;
            macs += PlanParameters.ConvMacs(block.A, size, out size);
            macs += PlanParameters.ConvMacs(block.B, size, out size);
            if (block.SqueezeExcitation is { } se) macs += 2L * se.Fc1.In * se.Fc1.Out;
            macs += PlanParameters.ConvMacs(block.C, size, out size);
            if (block.Projection is { } proj) macs += PlanParameters.ConvMacs(proj, blockIn, out _);
        }
        return macs + (long)Classifier.In * Classifier.Out;
    }
}
