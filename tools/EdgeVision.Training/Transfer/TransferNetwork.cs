using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EdgeVision.Training.Transfer;

/// <summary>
/// A pretrained backbone (as <see cref="OnnxNetwork"/>) and a new linear head for the data's classes. Frozen
/// parts get no gradients (requires_grad off) and their BatchNorm layers keep normalising with, and never
/// update, their running statistics, whatever <c>train()</c> says about the rest.
/// </summary>
public sealed class TransferNetwork : nn.Module<Tensor, Tensor>
{
    public TransferNetwork(OnnxNetwork backbone, int featureCount, int classes) : base("transfer")
    {
        if (classes < 2) throw new ArgumentException($"a classifier needs at least 2 classes, not {classes}");
        Backbone = backbone;
        FeatureCount = featureCount;
        Head = nn.Linear(featureCount, classes, hasBias: true);
        register_module("backbone", Backbone);
        register_module("head", Head);
    }

    public OnnxNetwork Backbone { get; }
    public Linear Head { get; }
    public int FeatureCount { get; }
    public FreezeDepth Frozen { get; private set; } = FreezeDepth.None;

    /// <param name="keepBatchNormStatistics">BatchNorm layers that train normalise with their running statistics too.</param>
    public void Freeze(FreezeDepth depth, bool keepBatchNormStatistics = false)
    {
        if (depth.FreezesAnything && !depth.IsWholeBackbone && depth.LastFrozenStage > Backbone.LayerCount)
            throw new ArgumentException($"--freeze {depth}: the backbone has only {Backbone.LayerCount} layers (stem, layer1…layer{Backbone.LayerCount})");
        Frozen = depth;
        foreach (var (name, module) in Backbone.ParameterisedNodes)
        {
            bool frozen = depth.Freezes(Backbone.Stages[name]);
            foreach (var p in module.parameters()) p.requires_grad = !frozen;
            if (module is OnnxBatchNorm bn) bn.StatisticsFrozen = frozen || keepBatchNormStatistics;
        }
    }

    /// <summary>Backbone features [N, F] (flattened).</summary>
    public Tensor Features(Tensor x)
    {
        if (!Frozen.IsWholeBackbone) return Backbone.forward(x).flatten(1);
        using var noGrad = torch.no_grad();
        return Backbone.forward(x).flatten(1);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Head.forward(Features(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Parameters that learn now, backbone first then head (for separate learning rates).</summary>
    public (Parameter[] Backbone, Parameter[] Head) TrainableParameters() =>
        ([.. Backbone.parameters().Where(p => p.requires_grad)], [.. Head.parameters()]);
}
