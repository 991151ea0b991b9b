using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;
using EdgeVision.Onnx.Zoo;

namespace EdgeVision.Onnx.ResNet;

/// <summary>
/// Walks a <see cref="ResNetPlan"/> and emits its layers through a <see cref="LayerEmitter"/> (folded or reference).
/// Block orders follow the plan's documentation and the TorchSharp modules in EdgeVision.Training.
/// </summary>
internal sealed class ResNetGraphEmitter(LayerEmitter layers, ResNetPlan plan) : PlanGraphEmitter<ResNetPlan>(layers, plan)
{
    public override string EmitLogits(string input, string logitsName)
    {
        string x = EmitStem(input);
        foreach (var block in Plan.Blocks) x = block.PreActivation ? EmitPreActivationBlock(block, x) : EmitPostActivationBlock(block, x);
        if (Plan.FinalNorm is { } final) x = Layers.Relu(Layers.StandaloneNorm(x, final), final.Name);
        return Layers.Classifier(x, Plan.Classifier, logitsName);
    }

    private string EmitStem(string input)
    {
        string x = Layers.Conv(input, Plan.StemConv, Plan.StemNorm, isStem: true);
        if (Plan.StemNorm is not null) x = Layers.Relu(x, "stem");
        return Plan.StemMaxPool ? Layers.StemMaxPool(x, "stem.maxpool") : x;
    }

    // conv1 → bn1 → relu → conv2 → bn2 [→ relu → conv3 → bn3] [→ SE] (+ shortcut(x)) → relu
    private string EmitPostActivationBlock(BlockPlan block, string x)
    {
        string branch = x;
        for (int i = 0; i < block.Convs.Count; i++)
        {
            branch = Layers.Conv(branch, block.Convs[i], block.Norms[i]);
            if (i < block.Convs.Count - 1) branch = Layers.Relu(branch, block.Convs[i].Name);
        }
        string sum = AddShortcut(block, Excite(block, branch), x);
        return Layers.Relu(sum, block.Name);
    }

    // a = relu(bn1(x)); conv1(a) → bn2 → relu → conv2 [→ bn3 → relu → conv3] [→ SE] + (Projection ? proj(a) : x)
    private string EmitPreActivationBlock(BlockPlan block, string x)
    {
        string a = Layers.Relu(Layers.StandaloneNorm(x, block.Norms[0]), block.Norms[0].Name);
        string branch = a;
        for (int i = 0; i < block.Convs.Count; i++)
        {
            bool last = i == block.Convs.Count - 1;
            branch = Layers.Conv(branch, block.Convs[i], last ? null : block.Norms[i + 1]);
            if (!last) branch = Layers.Relu(branch, block.Norms[i + 1].Name);
        }
        return AddShortcut(block, Excite(block, branch), block.Shortcut == ShortcutPlan.Projection ? a : x);
    }

    private string AddShortcut(BlockPlan block, string branch, string shortcutInput)
    {
        string? shortcut = block.Shortcut switch
        {
            ShortcutPlan.None => null,
            ShortcutPlan.Identity => shortcutInput,
            ShortcutPlan.SubsampleZeroPad => SubsampleZeroPad(block, shortcutInput),
            ShortcutPlan.Projection => Layers.Conv(shortcutInput,
                block.ProjectionConv ?? throw new ArgumentException($"{block.Name}: projection shortcut without a convolution"),
                block.ProjectionNorm),
            _ => throw new ArgumentOutOfRangeException(nameof(block), block.Shortcut, $"{block.Name}: unknown shortcut"),
        };
        return shortcut is null ? branch : Graph.AddNode("Add", [branch, shortcut], block.Name + ".add");
    }

    // Option A: x[:, :, ::2, ::2] when strided, then zero channels split equally before and after, written as a
    // 1×1 convolution (with the block's stride) whose fixed weight is 1 from input channel i to output i + pad and 0
    // elsewhere. That is exactly option A — every output is one input times 1, or 0 — and ONNX Runtime runs it in its
    // blocked convolution layout (QLinearConv in int8), where Slice and Pad would each force a layout reorder
    // before and after them.
    private string SubsampleZeroPad(BlockPlan block, string x)
    {
        int pad = (block.Out - block.In) / 2;
        var select = new float[block.Out * block.In];
        for (int i = 0; i < block.In; i++) select[(i + pad) * block.In + i] = 1f;
        string weight = Graph.AddInitializer(block.Name + ".shortcut.select", select, block.Out, block.In, 1, 1);
        return Graph.AddNode("Conv", [x, weight], block.Name + ".shortcut.pad",
            OnnxAttributes.Ints("kernel_shape", 1, 1),
            OnnxAttributes.Ints("strides", block.Stride, block.Stride));
    }

    // Squeeze-and-excitation with the two linear layers as 1×1 convolutions on the pooled [N, C, 1, 1] value.
    private string Excite(BlockPlan block, string branch) => block.SqueezeExcitation is { } se
        ? Layers.SqueezeExcite(branch, se.Name, se.Fc1.Name, s => Layers.PointwiseLinear(s, se.Fc1), h => Layers.PointwiseLinear(h, se.Fc2))
        : branch;
}
