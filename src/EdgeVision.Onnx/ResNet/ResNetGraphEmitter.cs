using EdgeVision.Core.Architecture;
using EdgeVision.Onnx.Graph;

namespace EdgeVision.Onnx.ResNet;

/// <summary>
/// Walks a <see cref="ResNetPlan"/> and emits its layers into a graph, in one of two forms: folded
/// (every BN after a conv merged into it, the rest as Mul+Add; the deployable graph) or reference
/// (BatchNormalization ops exactly as trained; the ground truth the folded graph is tested against).
/// Block orders follow the plan's documentation and the TorchSharp modules in EdgeVision.Training.
/// </summary>
internal sealed class ResNetGraphEmitter
{
    private readonly GraphBuilder _graph;
    private readonly ResNetPlan _plan;
    private readonly IWeightSource _weights;
    private readonly bool _fold;
    private readonly FusedPreprocessing? _preprocessing;

    public ResNetGraphEmitter(GraphBuilder graph, ResNetPlan plan, IWeightSource weights, bool foldNorms, FusedPreprocessing? preprocessing)
    {
        _graph = graph;
        _plan = plan;
        _weights = weights;
        _fold = foldNorms;
        _preprocessing = preprocessing;
    }

    /// <summary>Emits stem, blocks, pooling and the classifier; returns the logits value (named <paramref name="logitsName"/>).</summary>
    public string EmitLogits(string input, string logitsName)
    {
        string x = EmitStem(input);
        foreach (var block in _plan.Blocks) x = block.PreActivation ? EmitPreActivationBlock(block, x) : EmitPostActivationBlock(block, x);
        if (_plan.FinalNorm is { } final) x = Relu(StandaloneNorm(x, final), final.Name);
        string pooled = _graph.AddNode("GlobalAveragePool", [x], "pool");
        string flat = _graph.AddNode("Flatten", [pooled], "features", OnnxAttributes.Int("axis", 1));
        var fc = _plan.Classifier;
        string w = _graph.AddInitializer(fc.Weight, WeightReader.Tensor(_weights, fc.Weight, fc.Out, fc.In).Data, fc.Out, fc.In);
        string b = _graph.AddInitializer(fc.Bias, WeightReader.Vector(_weights, fc.Bias, fc.Out), fc.Out);
        _graph.AddNodeWithOutputs("Gemm", [flat, w, b], [logitsName], OnnxAttributes.Int("transB", 1));
        return logitsName;
    }

    private string EmitStem(string input)
    {
        string x = Conv(input, _plan.StemConv, _plan.StemNorm, isStem: true);
        if (_plan.StemNorm is not null) x = Relu(x, "stem");
        if (_plan.StemMaxPool)
        {
            x = _graph.AddNode("MaxPool", [x], "stem.maxpool",
                OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("strides", 2, 2), OnnxAttributes.Ints("pads", 1, 1, 1, 1));
        }
        return x;
    }

    // conv1 → bn1 → relu → conv2 → bn2 [→ relu → conv3 → bn3] [→ SE] (+ shortcut(x)) → relu
    private string EmitPostActivationBlock(BlockPlan block, string x)
    {
        string branch = x;
        for (int i = 0; i < block.Convs.Count; i++)
        {
            branch = Conv(branch, block.Convs[i], block.Norms[i]);
            if (i < block.Convs.Count - 1) branch = Relu(branch, block.Convs[i].Name);
        }
        string sum = AddShortcut(block, Excite(block, branch), x);
        return Relu(sum, block.Name);
    }

    // a = relu(bn1(x)); conv1(a) → bn2 → relu → conv2 [→ bn3 → relu → conv3] [→ SE] + (Projection ? proj(a) : x)
    private string EmitPreActivationBlock(BlockPlan block, string x)
    {
        string a = Relu(StandaloneNorm(x, block.Norms[0]), block.Norms[0].Name);
        string branch = a;
        for (int i = 0; i < block.Convs.Count; i++)
        {
            bool last = i == block.Convs.Count - 1;
            branch = Conv(branch, block.Convs[i], last ? null : block.Norms[i + 1]);
            if (!last) branch = Relu(branch, block.Norms[i + 1].Name);
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
            ShortcutPlan.Projection => Conv(shortcutInput,
                block.ProjectionConv ?? throw new ArgumentException($"{block.Name}: projection shortcut without a convolution"),
                block.ProjectionNorm),
            _ => throw new ArgumentOutOfRangeException(nameof(block), block.Shortcut, $"{block.Name}: unknown shortcut"),
        };
        return shortcut is null ? branch : _graph.AddNode("Add", [branch, shortcut], block.Name + ".add");
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
        string weight = _graph.AddInitializer(block.Name + ".shortcut.select", select, block.Out, block.In, 1, 1);
        return _graph.AddNode("Conv", [x, weight], block.Name + ".shortcut.pad",
            OnnxAttributes.Ints("kernel_shape", 1, 1),
            OnnxAttributes.Ints("strides", block.Stride, block.Stride));
    }

    // Squeeze-and-excitation with the two linear layers as 1×1 convolutions on the pooled [N, C, 1, 1] value.
    private string Excite(BlockPlan block, string branch)
    {
        if (block.SqueezeExcitation is not { } se) return branch;
        string squeezed = _graph.AddNode("GlobalAveragePool", [branch], se.Name + ".pool");
        string hidden = Relu(PointwiseLinear(squeezed, se.Fc1), se.Fc1.Name);
        string gate = _graph.AddNode("Sigmoid", [PointwiseLinear(hidden, se.Fc2)], se.Name + ".gate");
        return _graph.AddNode("Mul", [branch, gate], se.Name + ".scale");
    }

    private string PointwiseLinear(string x, LinearPlan fc)
    {
        string w = _graph.AddInitializer(fc.Weight, WeightReader.Tensor(_weights, fc.Weight, fc.Out, fc.In).Data, fc.Out, fc.In, 1, 1);
        string b = _graph.AddInitializer(fc.Bias, WeightReader.Vector(_weights, fc.Bias, fc.Out), fc.Out);
        return _graph.AddNode("Conv", [x, w, b], fc.Name, OnnxAttributes.Ints("kernel_shape", 1, 1));
    }

    /// <summary>A convolution and the BN that follows it (folded, or as a BatchNormalization op in the reference).</summary>
    private string Conv(string x, ConvPlan conv, BatchNormPlan? norm, bool isStem = false)
    {
        double[] weight = WeightReader.ConvWeight(_weights, conv);
        double[]? bias = null;
        if (norm is not null && _fold) bias = BatchNormFolding.FoldIntoConv(weight, conv.Out, _weights, norm);
        int inPerGroup = conv.In / conv.Groups;
        if (isStem && _preprocessing is not null)
        {
            weight = _preprocessing.FoldIntoStem(weight, conv.Out, conv.In, conv.Kernel);
            inPerGroup = weight.Length / (conv.Out * conv.Kernel * conv.Kernel);
        }

        var inputs = new List<string>
        {
            x,
            _graph.AddInitializer(conv.Weight, WeightReader.ToFloats(weight), conv.Out, inPerGroup, conv.Kernel, conv.Kernel),
        };
        if (bias is not null) inputs.Add(_graph.AddInitializer(conv.Name + ".bias", WeightReader.ToFloats(bias), conv.Out));
        string y = _graph.AddNode("Conv", inputs, conv.Name,
            OnnxAttributes.Ints("kernel_shape", conv.Kernel, conv.Kernel),
            OnnxAttributes.Ints("strides", conv.Stride, conv.Stride),
            OnnxAttributes.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding),
            OnnxAttributes.Int("group", conv.Groups));
        return norm is not null && !_fold ? BatchNormalization(y, norm) : y;
    }

    /// <summary>A BN with no convolution before it to fold into (pre-activation bn1, bn_final).</summary>
    private string StandaloneNorm(string x, BatchNormPlan norm)
    {
        if (!_fold) return BatchNormalization(x, norm);
        var (scale, shift) = BatchNormFolding.Affine(_weights, norm);
        string s = _graph.AddInitializer(norm.Name + ".scale", WeightReader.ToFloats(scale), 1, norm.Channels, 1, 1);
        string t = _graph.AddInitializer(norm.Name + ".shift", WeightReader.ToFloats(shift), 1, norm.Channels, 1, 1);
        string scaled = _graph.AddNode("Mul", [x, s], norm.Name + ".mul");
        return _graph.AddNode("Add", [scaled, t], norm.Name);
    }

    private string BatchNormalization(string x, BatchNormPlan norm)
    {
        string[] inputs =
        [
            x,
            _graph.AddInitializer(norm.Weight, WeightReader.Vector(_weights, norm.Weight, norm.Channels), norm.Channels),
            _graph.AddInitializer(norm.Bias, WeightReader.Vector(_weights, norm.Bias, norm.Channels), norm.Channels),
            _graph.AddInitializer(norm.RunningMean, WeightReader.Vector(_weights, norm.RunningMean, norm.Channels), norm.Channels),
            _graph.AddInitializer(norm.RunningVar, WeightReader.Vector(_weights, norm.RunningVar, norm.Channels), norm.Channels),
        ];
        return _graph.AddNode("BatchNormalization", inputs, norm.Name, OnnxAttributes.Float("epsilon", BatchNormPlan.Epsilon));
    }

    private string Relu(string x, string scope) => _graph.AddNode("Relu", [x], scope + ".relu");
}
