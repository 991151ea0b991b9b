using EdgeVision.Core.Architecture;
using EdgeVision.Core.Model;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Proto;

namespace EdgeVision.Onnx.Lesion;

/// <summary>
/// A test-time lesion (Veit et al. 2016) of an exported ResNet contract model, by graph surgery on the deployed file:
/// a residual block's <c>Add(branch, shortcut)</c> becomes <c>Identity(shortcut)</c> (its branch outputs zero; a
/// post-activation block keeps its final ReLU), and a plain block's last ReLU becomes <c>Identity(block input)</c>.
/// That is what <c>ResNetBlock.Removed</c> computes in TorchSharp, on the model the daemon would serve — BN folded,
/// preprocessing fused — so a lesion can be run on any fp32 model <c>train</c> or <c>export</c> wrote.
/// </summary>
/// <remarks>
/// Blocks are found by the value names the graph emitter gives them (<c>{block}.add</c>, <c>{block}.relu</c>),
/// which the model's <c>architecture</c> metadata lets us list. A foreign ONNX ResNet has neither, so it is refused.
/// </remarks>
public static class BlockLesion
{
    /// <summary>The block layout of <paramref name="model"/>, from its contract metadata.</summary>
    /// <exception cref="ModelContractException">Not an fp32 EdgeVision ResNet contract model; names what is not.</exception>
    public static ResNetPlan PlanOf(ModelProto model, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        var metadata = ModelMetadata.FromProperties(model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), source);
        if (metadata.Precision != Precision.Fp32)
            throw new ModelContractException($"{source}: a lesion needs the fp32 model; this one is {metadata.Precision.ToString().ToLowerInvariant()} (its blocks are quantized groups)");
        if (!ResNetZoo.Names.Contains(ResNetZoo.Normalize(metadata.Architecture)))
            throw new ModelContractException($"{source}: architecture '{metadata.Architecture}' is not a ResNet of the zoo (a lesion removes residual or plain blocks; known: {string.Join(", ", ResNetZoo.Names)})");
        var plan = ResNetPlan.Build(ResNetZoo.Create(metadata.Architecture, numClasses: metadata.Labels.Count));
        var outputs = model.Graph.Node.SelectMany(n => n.Output).ToHashSet(StringComparer.Ordinal);
        foreach (var block in plan.Blocks)
        {
            string value = BlockOutput(block);
            if (!outputs.Contains(value))
                throw new ModelContractException($"{source}: no value '{value}' for block {block.Name}; was the model written by EdgeVision's exporter from architecture '{metadata.Architecture}'?");
        }
        return plan;
    }

    /// <summary>A copy of <paramref name="model"/> without <paramref name="block"/>; the original is unchanged.</summary>
    public static ModelProto Remove(ModelProto model, BlockPlan block, string source)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(block);
        if (!block.CanBeRemoved)
            throw new ArgumentException($"{block.Name}: a plain block that changes shape ({block.In}→{block.Out} channels, stride {block.Stride}) has no path left when removed", nameof(block));
        var lesioned = model.Clone();
        var nodes = lesioned.Graph.Node;
        var producer = nodes.Where(n => n.Output.Count > 0).ToDictionary(n => n.Output[0], StringComparer.Ordinal);
        string value = BlockOutput(block);
        var last = producer.GetValueOrDefault(value) ?? throw new ModelContractException($"{source}: no node writes '{value}' (block {block.Name})");
        string keep = block.Shortcut == ShortcutPlan.None ? PlainBlockInput(block, last, producer, source) : ShortcutOf(block, last, source);
        last.OpType = "Identity";
        last.Attribute.Clear();
        last.Input.Clear();
        last.Input.Add(keep);
        GraphPruning.RemoveUnused(lesioned.Graph); // the removed branch's nodes and weights
        return lesioned;
    }

    // The emitter's names: a residual block's sum, a plain block's final ReLU.
    private static string BlockOutput(BlockPlan block) => block.Shortcut == ShortcutPlan.None ? block.Name + ".relu" : block.Name + ".add";

    // The emitter writes Add(branch, shortcut).
    private static string ShortcutOf(BlockPlan block, NodeProto add, string source) =>
        add.OpType == "Add" && add.Input.Count == 2 ? add.Input[1]
            : throw new ModelContractException($"{source}: '{add.Output[0]}' is written by {add.OpType}, not the Add of block {block.Name}'s shortcut");

    // Back from the block's last ReLU through its convolutions (BN is folded into them) to what the first one reads.
    private static string PlainBlockInput(BlockPlan block, NodeProto last, Dictionary<string, NodeProto> producer, string source)
    {
        var node = last;
        for (int convs = 0; convs < block.Convs.Count;)
        {
            node = producer.GetValueOrDefault(node.Input[0])
                ?? throw new ModelContractException($"{source}: block {block.Name} ends before its {block.Convs.Count} convolutions (at '{node.Input[0]}')");
            if (node.OpType == "Conv") convs++;
            else if (node.OpType != "Relu")
                throw new ModelContractException($"{source}: block {block.Name} holds a {node.OpType} node ('{node.Name}'); a plain block is Conv and Relu only");
        }
        return node.Input[0];
    }
}
